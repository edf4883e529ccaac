// Training worker: initialises the backend, runs fitEncoder and streams progress to the parent.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import type { EpochMetric } from '../../../shared/types.js';
import { workerInput } from '../../util/worker.js';
import { initBackend } from '../backend/tfjs.js';
import type { FitInput, FitResult, TrainProgress } from './fit.js';
import { fitWithRefit } from './refit.js';

export type FromTrainWorker =
  | { t: 'progress'; p: TrainProgress }
  | { t: 'refit'; done: number; total: number }
  | { t: 'epoch'; m: EpochMetric }
  | { t: 'done'; result: FitResult; backend: string }
  | { t: 'error'; message: string; code?: string };

const port = parentPort!;
const post = (m: FromTrainWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

async function main(): Promise<void> {
  const input = workerInput<FitInput>();
  const { used } = await initBackend(input.options.backend);
  const result = await fitWithRefit(input, {
    onProgress: (p) => post({ t: 'progress', p }),
    onEpoch: (m) => post({ t: 'epoch', m }),
    onRefitProgress: (done, total) => post({ t: 'refit', done, total }),
  });
  post({ t: 'done', result, backend: used }, result.weights.map((w) => w.data.buffer as ArrayBuffer));
}

// Only AppError codes cross over (a Node error's code like ENOENT is not an ErrorCode).
main().catch((err: unknown) =>
  post({ t: 'error', message: err instanceof Error ? err.message : String(err), code: err instanceof AppError ? err.code : undefined }),
);
