// Backbone feature extraction over many images, using one worker thread per core.
// Each worker loads the backbone once; batches are handed out on demand (two in flight per worker so
// decoding the next overlaps inference on the current) and results are delivered to the caller
// strictly in input order, one onBatch call per batch, from the calling thread.
// The engine is the one measured fastest on this machine (engine-choice.ts); when it fails at run time
// the next fastest continues from the first batch not yet delivered, so no image is computed twice.
import type { Worker } from 'node:worker_threads';
import { FEATURE_ENGINE_ORDER, type BackendName } from '../../../shared/types.js';
import { abortError, isAbortError } from '../../jobs/abort.js';
import { WorkerRpc } from '../../util/worker-rpc.js';
import type { Choice } from '../backend/choose.js';
import { initBackend } from '../backend/tfjs.js';
import { backboneSpec, isBackboneInstalled, missingBackboneError, type EnginePick } from '../backbone/registry.js';
import { chooseFeatureEngine, engineWorkers, fallbackOrder, parseEngineName, recordRunFailure, TIMING_ROWS } from './engine-choice.js';
import type { FeatureWorkerInput, FromFeatureWorker, ToFeatureWorker } from './features-worker.js';
import type { ImagePrep } from './preprocess.js';

export interface FeatureRow {
  id: number;
  features: Float32Array;
}

export interface ExtractFeaturesOptions {
  backbone: string;
  images: { id: number; path: string }[];
  backend?: BackendName;
  /** Resize and orientation (default: the backbone's). */
  prep?: ImagePrep;
  signal?: AbortSignal;
  /** Called once per batch, in input order; awaited before the next one (so a transaction per batch is easy). */
  onBatch(rows: FeatureRow[]): void | Promise<void>;
  onProgress?(done: number, total: number): void;
  /** An image that cannot be decoded is reported here and skipped. */
  onImageError?(id: number, path: string, err: Error): void;
  /** Worker threads (default: one per core; one for the multi-threaded native backends). */
  workers?: number;
  /** Images per batch (default 16). */
  batchSize?: number;
  /**
   * A feature engine by name (FEATURE_ENGINE_ORDER), or several to try in order when one fails at
   * run time; default: the one measured fastest here, then the runners-up (engine-choice.ts).
   */
  engine?: string | string[];
}

export interface ExtractFeaturesResult {
  backend: string;
  engine: string;
  seconds: number;
  /** Images with features delivered. */
  extracted: number;
  /** Images skipped because they could not be decoded. */
  failed: number;
  workers: number;
  /** The engine that was chosen and why (measured, remembered or asked for). */
  choice?: string;
  /** Engines that failed at run time, each continued on the next fastest. */
  fallbacks?: string[];
}

const WORKER_URL = new URL('./features-worker.js', import.meta.url);

/** Counts over every engine tried (a run-time fallback continues where the failed engine stopped). */
interface PoolState {
  engine: string;
  /** Batches delivered to the caller, in order: the next engine starts after them. */
  emitted: number;
  done: number;
  extracted: number;
  failed: number;
  /** Set when the caller's onBatch threw: that error is the caller's, not the engine's. */
  callerError?: boolean;
}

/** The engines to try in order: the one asked for, else the measured choice and then its runners-up. */
async function engineOrder(opts: ExtractFeaturesOptions): Promise<{ order: string[]; choice?: Choice }> {
  const forced = opts.engine ?? (FEATURE_ENGINE_ORDER.includes(process.env.TRIPLET_STUDIO_ENGINE as never) ? process.env.TRIPLET_STUDIO_ENGINE : undefined);
  if (forced) return { order: Array.isArray(forced) ? forced : [forced] };
  const sample = opts.images.slice(0, TIMING_ROWS).map((i) => i.path);
  // opts.backend is the training backend: the feature engine is measured on its own.
  const choice = await untilAborted(chooseFeatureEngine(opts.backbone, { sample, prep: opts.prep }), opts.signal);
  return { order: fallbackOrder(choice), choice };
}

/**
 * `p`, or an AbortError as soon as `signal` aborts: a cancel during the first-use measurement returns
 * at once (the measurement finishes in the background, stores its choice and stops its workers).
 */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function extractFeatures(opts: ExtractFeaturesOptions): Promise<ExtractFeaturesResult> {
  const t0 = performance.now();
  opts.signal?.throwIfAborted();
  backboneSpec(opts.backbone);
  if (!isBackboneInstalled(opts.backbone)) throw missingBackboneError(opts.backbone);
  const { used } = await initBackend(opts.backend);
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  const batches: { id: number; path: string }[][] = [];
  for (let i = 0; i < opts.images.length; i += batchSize) batches.push(opts.images.slice(i, i + batchSize));
  if (batches.length === 0) {
    return { backend: used, engine: 'none', seconds: 0, extracted: 0, failed: 0, workers: 0 };
  }
  let { order, choice } = await engineOrder(opts);
  opts.signal?.throwIfAborted();
  const state: PoolState = { engine: '', emitted: 0, done: 0, extracted: 0, failed: 0 };
  const fallbacks: string[] = [];
  const failures: { name: string; message: string }[] = [];
  for (let k = 0; ; k++) {
    const pick = parseEngineName(order[k]);
    const nWorkers = Math.max(1, Math.min(opts.workers ?? engineWorkers(order[k]), batches.length - state.emitted));
    try {
      await runPool(opts, batches.slice(state.emitted), pick.engine === 'tfjs' ? pick.backend : used, pick, nWorkers, state);
      // Engines that failed before this one worked are remembered as broken (when every engine fails,
      // the cause is likely not theirs, and nothing is recorded).
      for (const f of failures) if (choice) choice = recordRunFailure(choice, f.name, order[k], f.message);
      const backend = pick.engine === 'tfjs' ? pick.backend : used;
      const why = choice ? `${choice.chosen}: ${choice.why}` : `${order[0]}: asked for`;
      return { backend, engine: state.engine, seconds: (performance.now() - t0) / 1000, extracted: state.extracted, failed: state.failed, workers: nWorkers, choice: why, fallbacks };
    } catch (err) {
      // Only the engine's own failures fall back; a cancel or the caller's error ends the pass.
      if (isAbortError(err) || state.callerError || k + 1 >= order.length) throw err;
      const message = err instanceof Error ? err.message : String(err);
      fallbacks.push(`${order[k]} failed (${message.split('\n')[0]}); continued on ${order[k + 1]}`);
      failures.push({ name: order[k], message });
    }
  }
}

type ResultMsg = Extract<FromFeatureWorker, { t: 'result' }>;

/** A stuck worker is terminated after this long (terminating one mid-onnxruntime call aborts the process). */
const STOP_GRACE_MS = 60_000;

/**
 * Asks a worker to finish its in-flight batch, release its engine and exit. The caller does not wait:
 * results after the stop are ignored, so a cancel returns at once while the worker winds down.
 */
function stopWorker(w: Worker): void {
  w.postMessage({ t: 'stop' } satisfies ToFeatureWorker);
  const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
  timer.unref();
  w.once('exit', () => clearTimeout(timer));
}

function runPool(
  opts: ExtractFeaturesOptions,
  batches: { id: number; path: string }[][],
  backend: BackendName,
  pick: EnginePick,
  nWorkers: number,
  state: PoolState,
): Promise<void> {
  const total = opts.images.length;
  // A cancel returns at once; the workers are asked to stop gracefully (stopWorker).
  const rpc = new WorkerRpc<void>({ name: 'Feature worker', errorPrefix: 'Feature worker: ', signal: opts.signal, stop: stopWorker });
  if (rpc.settled) return rpc.promise; // aborted while the backend was initialising
  const pending = new Map<number, ResultMsg>();
  let nextToSend = 0;
  let nextToEmit = 0;
  let delivering: Promise<void> = Promise.resolve();

  const sendNext = (w: Worker): void => {
    if (nextToSend >= batches.length) return;
    const seq = nextToSend++;
    w.postMessage({ t: 'batch', seq, items: batches[seq] } satisfies ToFeatureWorker);
  };

  // Hands finished batches to the caller in input order, one at a time.
  const deliver = async (): Promise<void> => {
    while (!rpc.settled && pending.has(nextToEmit)) {
      const r = pending.get(nextToEmit)!;
      pending.delete(nextToEmit);
      nextToEmit++;
      const dim = r.ids.length ? r.features.length / r.ids.length : 0;
      const rows = r.ids.map((id, i) => ({ id, features: r.features.subarray(i * dim, (i + 1) * dim) }));
      try {
        for (const e of r.errors) opts.onImageError?.(e.id, e.path, new Error(`${e.path}: ${e.message}`));
        if (rows.length) await opts.onBatch(rows);
      } catch (err) {
        state.callerError = true;
        throw err;
      }
      state.failed += r.errors.length;
      state.emitted++;
      state.extracted += rows.length;
      state.done += rows.length + r.errors.length;
      opts.onProgress?.(state.done, total);
    }
    if (!rpc.settled && nextToEmit === batches.length) rpc.resolve();
  };

  for (let i = 0; i < nWorkers; i++) {
    const input: FeatureWorkerInput = { backbone: opts.backbone, backend, prep: opts.prep ?? backboneSpec(opts.backbone).prep, workers: nWorkers, pick };
    rpc.start<FromFeatureWorker>(WORKER_URL, input, (msg, w) => {
      if (msg.t === 'timed') return;
      if (msg.t === 'ready') {
        state.engine = msg.engine;
        sendNext(w);
        sendNext(w);
      } else {
        pending.set(msg.seq, msg);
        sendNext(w);
        delivering = delivering.then(deliver).catch((err: unknown) => rpc.reject(err));
      }
    });
  }
  return rpc.promise;
}
