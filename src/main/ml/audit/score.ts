// scoreTrainTriplets: packs the features the triplets use and runs the fold models in the audit
// worker (progress, cancel = terminate the worker; nothing is written by it).
import { AppError } from '../../../shared/errors.js';
import type { TrainOptions } from '../../../shared/types.js';
import { callWorker } from '../../util/worker-rpc.js';
import { initBackend } from '../backend/tfjs.js';
import { tfjsBackendOf } from '../encoder/engine.js';
import { packTraining } from '../encoder/train.js';
import type { CvMarginsInput, CvProgress } from './cv-margins.js';
import type { AuditWorkerResult } from './audit-worker.js';

export interface ScoreTrainArgs {
  dim: number;
  features: Map<number, Float32Array>;
  /** Image ids: [anchor, positive, negative] per triplet. */
  triplets: Array<[number, number, number]>;
  folds: number;
  repeats: number;
  seed: number;
  options: TrainOptions;
  /** Weight of the training folds' groups' vote (cv-margins.ts). */
  groupWeight: number;
  signal?: AbortSignal;
  onProgress?(p: CvProgress): void;
}

const WORKER_URL = new URL('./audit-worker.js', import.meta.url);

/** Held-out margin per triplet, in the order given (see cv-margins.ts). */
export async function scoreTrainTriplets(args: ScoreTrainArgs): Promise<{ margins: Float64Array; backend: string }> {
  args.signal?.throwIfAborted();
  if (args.triplets.length === 0) return { margins: new Float64Array(0), backend: '' };
  await initBackend(tfjsBackendOf(args.options.backend)); // fails early, with the reason, when a forced backend is missing
  const packed = packTraining(args.dim, args.features, args.triplets);
  const input: CvMarginsInput = { dim: args.dim, ...packed, folds: args.folds, repeats: args.repeats, seed: args.seed, options: args.options, groupWeight: args.groupWeight };
  args.signal?.throwIfAborted();
  const r = await callWorker<AuditWorkerResult, CvProgress>(WORKER_URL, input, {
    name: 'Audit worker',
    errorPrefix: 'Audit failed: ',
    signal: args.signal,
    onProgress: (p) => args.onProgress?.(p),
  });
  if (r.margins.length !== args.triplets.length) throw new AppError('INTERNAL', 'Audit worker returned the wrong number of scores.');
  return r;
}
