// trainEncoder: packs the features the triplets need, trains in a worker thread, supports cancel.
import { AppError } from '../../../shared/errors.js';
import type { EpochMetric, TrainBackendName, TrainOptions } from '../../../shared/types.js';
import { trainOptionsSchema } from '../../../shared/train-options.js';
import { callWorker } from '../../util/worker-rpc.js';
import { initBackend } from '../backend/tfjs.js';
import { chooseTrainBackend } from '../backend/train-choice.js';
import { tfjsBackendOf } from './engine.js';
import type { FitInput, FitResult, TrainProgress } from './fit.js';
import { loadOrtForTraining } from './ort/load.js';
import type { TrainWorkerProgress, TrainWorkerResult } from './train-worker.js';
import type { SqliteTriplets } from './sources/source.js';

export type { TrainProgress } from './fit.js';

/** What fit() returns (bestEpoch: 1-based epoch whose weights were kept; seed: the one actually used), plus the backend that ran it. */
export interface TrainedEncoder extends FitResult {
  backend: string;
}

interface TrainEncoderCommon {
  dim: number;
  options: TrainOptions;
  signal?: AbortSignal;
  onProgress?(p: TrainProgress): void;
  onEpoch?(m: EpochMetric): void;
  /** The refit pass (options.refit): steps done of total. */
  onRefitProgress?(done: number, total: number): void;
}

/** Features by image id and the triplets' image ids: packed here (packTraining). */
interface TrainEncoderUnpacked extends TrainEncoderCommon {
  features: Map<number, Float32Array>;
  /** Image ids per triplet: tuples, or flat [a0, p0, n0, a1, …] (1,000,000 triplets: 12 MB, no array per triplet). */
  train: Array<[number, number, number]> | Int32Array;
}

/**
 * Already packed (packTraining; project/train-input.ts): the arrays are handed over to the worker
 * without a copy, so they are empty (detached) here afterwards.
 */
interface TrainEncoderPacked extends TrainEncoderCommon {
  packed: Pick<FitInput, 'features' | 'triplets'>;
  /** Large sets: the triplets are in this scratch store (packed.triplets is then empty; sources/sqlite.ts). */
  sqlite?: SqliteTriplets;
}

export type TrainEncoderArgs = TrainEncoderUnpacked | TrainEncoderPacked;

const WORKER_URL = new URL('./train-worker.js', import.meta.url);

/** Packs only the feature rows the triplets use; triplets become row indices. */
export function packTraining(dim: number, features: Map<number, Float32Array>, train: Array<[number, number, number]> | Int32Array): Pick<FitInput, 'features' | 'triplets'> {
  const count = tripletCount(train);
  const idAt = Array.isArray(train) ? (i: number, k: number) => train[i][k] : (i: number, k: number) => train[3 * i + k];
  const rowOf = new Map<number, number>();
  const triplets = new Int32Array(count * 3);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < 3; k++) {
      const id = idAt(i, k);
      let row = rowOf.get(id);
      if (row === undefined) {
        const f = features.get(id);
        if (!f) throw new AppError('NOT_FOUND', `No ${dim}-d features for image ${id} (training triplet ${i + 1}); extract features first.`);
        if (f.length !== dim) throw new AppError('CONFLICT', `Features of image ${id} have ${f.length} values, expected ${dim}.`);
        row = rowOf.size;
        rowOf.set(id, row);
      }
      triplets[i * 3 + k] = row;
    }
  }
  const packed = new Float32Array(rowOf.size * dim);
  for (const [id, row] of rowOf) packed.set(features.get(id)!, row * dim);
  return { features: packed, triplets };
}

/** Triplets' image ids as one flat array [a0, p0, n0, a1, …]. */
export function flatTriplets(ts: readonly { a: number; p: number; n: number }[]): Int32Array {
  const out = new Int32Array(ts.length * 3);
  ts.forEach((t, i) => out.set([t.a, t.p, t.n], 3 * i));
  return out;
}

/** The arrays' buffers that can be transferred whole (a view into a larger buffer would take that along: copied instead). */
function ownBuffers(...arrays: ArrayBufferView[]): ArrayBuffer[] {
  return arrays.filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer && a.byteLength > 0).map((a) => a.buffer as ArrayBuffer);
}

const tripletCount = (train: Array<[number, number, number]> | Int32Array): number => (Array.isArray(train) ? train.length : train.length / 3);

export async function trainEncoder(args: TrainEncoderArgs): Promise<TrainedEncoder> {
  args.signal?.throwIfAborted();
  const parsed = trainOptionsSchema.safeParse(args.options);
  if (!parsed.success) throw new AppError('BAD_ARGUMENTS', `Invalid training options: ${parsed.error.message}`);
  const packed = 'packed' in args ? args.packed : null;
  const sqlite = 'packed' in args ? args.sqlite : undefined;
  if ((sqlite ? sqlite.count : packed ? packed.triplets.length : tripletCount((args as TrainEncoderUnpacked).train)) === 0) throw new AppError('BAD_ARGUMENTS', 'No training triplets.');
  // Fails early (with the reason) when a forced backend is unavailable; also lets embedFeatures use tf here.
  // No backend given: the one measured fastest on this machine (remembered; backend/train-choice.ts).
  const backend = parsed.data.backend ?? ((await chooseTrainBackend()).chosen as TrainBackendName);
  await initBackend(tfjsBackendOf(backend));
  // Forced but missing: the reason, before the worker starts.
  if (backend === 'onnxruntime') await loadOrtForTraining().catch((err: Error) => { throw new AppError('BAD_ARGUMENTS', `Backend "onnxruntime" is not available: ${err.message}.`); });
  const rows = packed ?? packTraining(args.dim, (args as TrainEncoderUnpacked).features, (args as TrainEncoderUnpacked).train);
  const input: FitInput = { dim: args.dim, ...rows, ...(sqlite ? { sqlite } : {}), options: { ...parsed.data, backend } };
  args.signal?.throwIfAborted(); // aborted while the backend was initialising
  // Cancel terminates the worker: training stops mid-batch and nothing of it is kept. Not while
  // onnxruntime runs (terminating then aborts the process): the worker is asked, stops after its
  // current step, releases its session and reports the cancel.
  const r = await callWorker<TrainWorkerResult, TrainWorkerProgress>(WORKER_URL, input, {
    name: 'Training worker',
    errorPrefix: 'Training failed: ',
    signal: args.signal,
    // The packed rows move to the worker instead of being copied (60 MB for 20,000 768-d images).
    workerOptions: { transferList: ownBuffers(rows.features, rows.triplets) },
    cancel: backend === 'onnxruntime' ? 'ask' : 'settle',
    onProgress: (m) => {
      if (m.kind === 'batch') args.onProgress?.(m.p);
      else if (m.kind === 'refit') args.onRefitProgress?.(m.done, m.total);
      else args.onEpoch?.(m.m);
    },
  });
  const f = r.result;
  return { weights: f.weights, epochs: f.epochs, bestEpoch: f.bestEpoch, trainCount: f.trainCount, tripletsPerEpoch: f.tripletsPerEpoch, valCount: f.valCount, unusedCount: f.unusedCount, valImages: f.valImages, backend: r.backend, seconds: f.seconds, seed: f.seed, tripletSource: f.tripletSource };
}
