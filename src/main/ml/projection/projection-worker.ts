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
      return pca(data, n, d, 2, { seed, onIteration: (done, total) => ctx.progress({ phase: 'pca', done, total }) }).scores;
    }
    return umap2d(data, n, d, { seed, fitLimit: input.fitLimit, onProgress: (p) => ctx.progress(p) });
  },
  (r) => [r.buffer as ArrayBuffer],
);
