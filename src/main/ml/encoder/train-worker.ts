// Training worker: initialises the backend, runs fitEncoder and streams progress to the parent
// (served through the worker-RPC helper, util/worker-serve.ts).
import type { EpochMetric } from '../../../shared/types.js';
import { serveWorker } from '../../util/worker-serve.js';
import { initBackend } from '../backend/tfjs.js';
import { tfjsBackendOf } from './engine.js';
import type { FitInput, FitResult, TrainProgress } from './fit.js';
import { fitWithRefit } from './refit.js';

export type TrainWorkerProgress =
  | { kind: 'batch'; p: TrainProgress }
  | { kind: 'refit'; done: number; total: number }
  | { kind: 'epoch'; m: EpochMetric };

export interface TrainWorkerResult {
  result: FitResult;
  backend: string;
}

serveWorker<FitInput, TrainWorkerResult, TrainWorkerProgress>(
  async (input, ctx) => {
    const { used } = await initBackend(tfjsBackendOf(input.options.backend));
    const result = await fitWithRefit(input, {
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ kind: 'batch', p }),
      onEpoch: (m) => ctx.progress({ kind: 'epoch', m }),
      onRefitProgress: (done, total) => ctx.progress({ kind: 'refit', done, total }),
    });
    // onnxruntime ran the steps (tfjs `used` only evaluated): the run names what trained it.
    return { result, backend: input.options.backend === 'onnxruntime' ? 'onnxruntime' : used };
  },
  (r) => r.result.weights.map((w) => w.data.buffer as ArrayBuffer),
);
