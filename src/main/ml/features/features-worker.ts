// Feature worker: loads one backbone engine once, then turns batches of image paths into features.
// Decoding (sharp, libuv thread pool) of the next batch runs while the engine computes this one.
import { parentPort } from 'node:worker_threads';
import type { BackendName } from '../../../shared/types.js';
import { toWorkerError, type WorkerError } from '../../util/worker-serve.js';
import { workerInput } from '../../util/worker.js';
import { backboneSpec, createFeatureEngine, type EnginePick, type FeatureEngine } from '../backbone/registry.js';
import { applyPreprocessing, decodeRgb, type ImagePrep } from './preprocess.js';

export interface FeatureWorkerInput {
  backbone: string;
  backend: BackendName;
  /** Resize and orientation (the backbone's value preprocessing follows from its spec). */
  prep: ImagePrep;
  /** Workers running at once (engines with their own thread pools divide the cores by it). */
  workers?: number;
  /** Build exactly this engine (the measured choice) instead of the first one that loads. */
  pick?: EnginePick;
  /** Images the engine is timed on ('time' messages); none: a synthetic batch. */
  sample?: string[];
}

export type ToFeatureWorker =
  | { t: 'batch'; seq: number; items: { id: number; path: string }[] }
  /** Runs the engine once on `rows` rows of the sample (timing for the measured choice). */
  | { t: 'time'; seq: number; rows: number }
  | { t: 'stop' };

export type FromFeatureWorker =
  | { t: 'ready'; engine: string }
  | {
      t: 'result';
      seq: number;
      ids: number[];
      /** ids.length × dim, in `ids` order. */
      features: Float32Array;
      errors: { id: number; path: string; message: string }[];
    }
  | { t: 'timed'; seq: number }
  | { t: 'error'; error: WorkerError };

const port = parentPort!;
const input = workerInput<FeatureWorkerInput>();
const spec = backboneSpec(input.backbone);
const pixels = spec.inputSize * spec.inputSize * 3;

interface Decoded {
  seq: number;
  ids: number[];
  batch: Float32Array;
  errors: { id: number; path: string; message: string }[];
}

/** Decodes a whole batch concurrently; a failing image is recorded and left out. */
async function decodeBatch(seq: number, items: { id: number; path: string }[]): Promise<Decoded> {
  const results = await Promise.allSettled(items.map((it) => decodeRgb(it.path, spec.inputSize, input.prep)));
  const ids: number[] = [];
  const errors: Decoded['errors'] = [];
  const batch = new Float32Array(items.length * pixels);
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      applyPreprocessing(r.value, spec.preprocessing, batch, ids.length * pixels);
      ids.push(items[i].id);
    } else {
      errors.push({ id: items[i].id, path: items[i].path, message: (r.reason as Error)?.message ?? String(r.reason) });
    }
  });
  return { seq, ids, batch: batch.subarray(0, ids.length * pixels), errors };
}

// Batches are decoded as soon as they arrive and run strictly in arrival order.
let chain: Promise<void> = Promise.resolve();
let stopping = false;
let enginePromise: Promise<FeatureEngine> | null = null;

/**
 * Graceful stop: finish the native call in flight, release the engine, then exit. The parent must
 * not terminate() a worker while onnxruntime runs: that aborts the whole process (Napi::Error).
 */
async function stop(): Promise<void> {
  stopping = true;
  await chain.catch(() => {});
  const engine = await enginePromise?.catch(() => null);
  await engine?.dispose?.();
  process.exit(0);
}

let sampleBatch: Promise<Float32Array> | null = null;

/** `rows` preprocessed rows cycling through the sample images (decoded once), or a synthetic pattern. */
async function timingBatch(rows: number): Promise<Float32Array> {
  sampleBatch ??= (async () => {
    const paths = input.sample ?? [];
    const d = paths.length ? await decodeBatch(-1, paths.map((path, i) => ({ id: i, path }))) : null;
    // Undecodable samples are the embed's to report, per image: the timing then uses a pattern.
    return d?.ids.length ? d.batch : Float32Array.from({ length: pixels }, (_, i) => Math.sin(i * 0.37));
  })();
  const one = await sampleBatch;
  const out = new Float32Array(rows * pixels);
  for (let r = 0; r < rows; r++) out.set(one.subarray(((r * pixels) % one.length), ((r * pixels) % one.length) + pixels), r * pixels);
  return out;
}

/** One timed engine run on the sample (choose.ts times the round trip). */
function time(msg: Extract<ToFeatureWorker, { t: 'time' }>): void {
  chain = chain
    .then(async () => {
      const batch = await timingBatch(msg.rows);
      const engine = await enginePromise!;
      await engine.run(batch, msg.rows);
      port.postMessage({ t: 'timed', seq: msg.seq } satisfies FromFeatureWorker);
    })
    .catch(fail);
}

async function main(): Promise<void> {
  // Listen first, so a stop that arrives while the engine loads is seen.
  port.on('message', (msg: ToFeatureWorker) => {
    if (msg.t === 'stop') {
      void stop();
      return;
    }
    if (stopping) return;
    if (msg.t === 'time') {
      time(msg);
      return;
    }
    const decoding = decodeBatch(msg.seq, msg.items);
    chain = chain
      .then(async () => {
        const d = await decoding;
        if (stopping) return;
        const engine = await enginePromise!;
        const out = d.ids.length ? await engine.run(d.batch, d.ids.length) : new Float32Array(0);
        // Transfer needs a buffer of its own (an engine may return a view into a larger one).
        const features = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
        const reply: FromFeatureWorker = { t: 'result', seq: d.seq, ids: d.ids, features, errors: d.errors };
        port.postMessage(reply, [features.buffer as ArrayBuffer]);
      })
      .catch(fail);
  });
  enginePromise = createFeatureEngine(input.backbone, input.backend, input.workers, input.pick);
  const engine = await enginePromise;
  if (!stopping) port.postMessage({ t: 'ready', engine: engine.name } satisfies FromFeatureWorker);
}

/** The worker-RPC helper's error message (AppError code, or the Node/SQLite code, travels along). */
function fail(err: unknown): void {
  port.postMessage({ t: 'error', error: toWorkerError(err) } satisfies FromFeatureWorker);
}

main().catch(fail);
