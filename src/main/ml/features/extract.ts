// Backbone feature extraction over many images, using one worker thread per core.
// Each worker loads the backbone once; batches are handed out on demand (two in flight per worker so
// decoding the next overlaps inference on the current) and results are delivered to the caller
// strictly in input order, one onBatch call per batch, from the calling thread.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BackendName } from '../../../shared/types.js';
import { WorkerRpc } from '../../util/worker-rpc.js';
import { initBackend } from '../backend/tfjs.js';
import { backbonePath, backboneSpec, isBackboneInstalled, missingBackboneError } from '../backbone/registry.js';
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
}

const WORKER_URL = new URL('./features-worker.js', import.meta.url);

/** The onnxruntime engine's worker plan, when that optional module is present and will be used. */
async function onnxPlan(id: string): Promise<{ workers: number } | null> {
  try {
    const m = await import('./onnx-engine.js');
    return await m.onnxWorkerPlan(backboneSpec(id), backbonePath(id));
  } catch {
    return null;
  }
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
  const native = used === 'tensorflow' || used === 'tensorflow-gpu';
  // onnxruntime runs best as one worker whose session uses every core (measured: bench/features.ts).
  const plan = opts.workers === undefined ? await onnxPlan(opts.backbone) : null;
  const wanted = opts.workers ?? plan?.workers ?? (native ? 1 : availableParallelism());
  const nWorkers = Math.max(1, Math.min(wanted, batches.length));
  const run = await runPool(opts, batches, used, nWorkers);
  return { backend: used, engine: run.engine, seconds: (performance.now() - t0) / 1000, extracted: run.extracted, failed: run.failed, workers: nWorkers };
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
  nWorkers: number,
): Promise<{ engine: string; extracted: number; failed: number }> {
  const total = opts.images.length;
  // A cancel returns at once; the workers are asked to stop gracefully (stopWorker).
  const rpc = new WorkerRpc<{ engine: string; extracted: number; failed: number }>({ name: 'Feature worker', errorPrefix: 'Feature worker: ', signal: opts.signal, stop: stopWorker });
  if (rpc.settled) return rpc.promise; // aborted while the backend was initialising
  const pending = new Map<number, ResultMsg>();
  let nextToSend = 0;
  let nextToEmit = 0;
  let done = 0;
  let extracted = 0;
  let failed = 0;
  let engine = '';
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
      for (const e of r.errors) {
        failed++;
        opts.onImageError?.(e.id, e.path, new Error(`${e.path}: ${e.message}`));
      }
      const dim = r.ids.length ? r.features.length / r.ids.length : 0;
      const rows = r.ids.map((id, i) => ({ id, features: r.features.subarray(i * dim, (i + 1) * dim) }));
      if (rows.length) await opts.onBatch(rows);
      extracted += rows.length;
      done += rows.length + r.errors.length;
      opts.onProgress?.(done, total);
    }
    if (!rpc.settled && nextToEmit === batches.length) rpc.resolve({ engine, extracted, failed });
  };

  for (let i = 0; i < nWorkers; i++) {
    const input: FeatureWorkerInput = { backbone: opts.backbone, backend, prep: opts.prep ?? backboneSpec(opts.backbone).prep, workers: nWorkers };
    rpc.start<FromFeatureWorker>(WORKER_URL, input, (msg, w) => {
      if (msg.t === 'ready') {
        engine ||= msg.engine;
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
