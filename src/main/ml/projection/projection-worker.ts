// Projection worker: PCA or UMAP of one matrix to 2-D, off the thread that answers the UI.
// Progress: PCA passes, UMAP's phases and layout epochs. Cancel terminates the worker.
import { serveWorker } from '../../util/worker-serve.js';
import type { ProjectionInput, ProjectionProgress } from './index.js';
import { pca } from './pca.js';
import { umap2d } from './umap.js';

serveWorker<ProjectionInput, Float32Array, ProjectionProgress>(
  async (input, ctx) => {
    const { data, n, d, seed } = input;
    if (input.method === 'pca') {
      const r = pca(data, n, d, 2, { seed, onIteration: (done, total) => ctx.progress({ phase: 'pca', done, total }) });
      return twoColumns(r.scores, n);
    }
    return umap2d(data, n, d, { seed, fitLimit: input.fitLimit, onProgress: (p) => ctx.progress(p) });
  },
  (r) => [r.buffer as ArrayBuffer],
);

/** n × 2 scores: fewer than two components exist when n or d is below 2; the missing axis is 0. */
function twoColumns(scores: Float32Array, n: number): Float32Array {
  const k = n ? scores.length / n : 2;
  if (k === 2) return scores;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * 2 + j] = scores[i * k + j];
  return out;
}
