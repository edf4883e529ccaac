// scoreTrainTriplets: packs the features the triplets use and trains the fold models in audit
// workers, one per core up to 4 (each fold model is one thread's work: tfjs-wasm trains on one), so
// the audit takes about half the time on 2 cores; the scores are combined in a fixed order and
// come out the same to the bit with any number of workers. Progress sums the workers'; cancel (or
// one worker's failure) stops them all. Nothing is written by them.
import { AppError } from '../../../shared/errors.js';
import type { TrainOptions } from '../../../shared/types.js';
import { callWorker } from '../../util/worker-rpc.js';
import { initBackend } from '../backend/tfjs.js';
import { tfjsBackendOf } from '../encoder/engine.js';
import { packTraining } from '../encoder/train.js';
import { availableParallelism } from 'node:os';
import { combineFolds, foldJobs, type CvMarginsInput, type CvProgress } from './cv-margins.js';
import type { AuditWorkerInput, AuditWorkerResult } from './audit-worker.js';

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
  /** Audit workers (default: one per core, up to 4); the scores do not depend on it. */
  workers?: number;
}

/** One worker per core, up to 4: more would mostly add memory (each holds the features and a tfjs heap). */
export const defaultAuditWorkers = (): number => Math.max(1, Math.min(4, availableParallelism()));

const WORKER_URL = new URL('./audit-worker.js', import.meta.url);

/** Held-out margin per triplet, in the order given (see cv-margins.ts). */
export async function scoreTrainTriplets(args: ScoreTrainArgs): Promise<{ margins: Float64Array; backend: string }> {
  args.signal?.throwIfAborted();
  if (args.triplets.length === 0) return { margins: new Float64Array(0), backend: '' };
  await initBackend(tfjsBackendOf(args.options.backend)); // fails early, with the reason, when a forced backend is missing
  const packed = packTraining(args.dim, args.features, args.triplets);
  const input: CvMarginsInput = { dim: args.dim, ...packed, folds: args.folds, repeats: args.repeats, seed: args.seed, options: args.options, groupWeight: args.groupWeight };
  args.signal?.throwIfAborted();
  const jobs = foldJobs(input);
  const n = Math.max(1, Math.min(args.workers ?? defaultAuditWorkers(), jobs.length));
  const shares = Array.from({ length: n }, (_, w) => jobs.filter((_, k) => k % n === w));
  // One stop for all: the user's cancel, or the first worker that fails.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  args.signal?.addEventListener('abort', onAbort, { once: true });
  const progress = shares.map(() => ({ done: 0, epoch: 0 }));
  const report = () =>
    args.onProgress?.({ done: progress.reduce((a, p) => a + p.done, 0), total: jobs.length, epoch: progress.reduce((a, p) => a + p.epoch, 0) });
  try {
    const results = await Promise.all(
      shares.map((share, w) =>
        callWorker<AuditWorkerResult, CvProgress>(WORKER_URL, { input, jobs: share } satisfies AuditWorkerInput, {
          name: 'Audit worker',
          errorPrefix: 'Audit failed: ',
          signal: stop.signal,
          onProgress: (p) => ((progress[w] = p), report()),
        }).catch((err: unknown) => {
          stop.abort();
          throw err;
        }),
      ),
    );
    args.signal?.throwIfAborted();
    const margins = combineFolds(args.triplets.length, args.repeats, args.groupWeight, results.flatMap((r) => r.scores));
    if (margins.length !== args.triplets.length) throw new AppError('INTERNAL', 'Audit workers returned the wrong number of scores.');
    return { margins, backend: results[0]?.backend ?? '' };
  } finally {
    args.signal?.removeEventListener('abort', onAbort);
  }
}
