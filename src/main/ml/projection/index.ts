// 2-D projections of feature or embedding vectors (the embedding map): PCA or UMAP, computed in a
// worker thread with progress and cancel.
import { callWorker } from '../../util/worker-rpc.js';

export type ProjectionMethod = 'pca' | 'umap';
export const PROJECTION_METHODS: readonly ProjectionMethod[] = ['pca', 'umap'];

export interface ProjectionInput {
  method: ProjectionMethod;
  /** n × d row-major. */
  data: Float32Array;
  n: number;
  d: number;
  seed: number;
  /** UMAP: points fitted directly (more are sampled and the rest transformed). */
  fitLimit?: number;
}

export interface ProjectionProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ProjectOptions {
  seed?: number;
  fitLimit?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProjectionProgress) => void;
}

/** n × 2 coordinates (row-major) of the rows of an n×d matrix, computed in a worker (`data` is transferred to it). */
export function project2d(method: ProjectionMethod, data: Float32Array, n: number, d: number, opts: ProjectOptions = {}): Promise<Float32Array> {
  const input: ProjectionInput = { method, data, n, d, seed: opts.seed ?? 1, fitLimit: opts.fitLimit };
  return callWorker<Float32Array, ProjectionProgress>(new URL('./projection-worker.js', import.meta.url), input, {
    name: 'Projection worker',
    signal: opts.signal,
    onProgress: opts.onProgress,
    // Moved, not copied (hundreds of MB at 100,000 × 768): the caller's array is detached.
    workerOptions: { transferList: [data.buffer as ArrayBuffer] },
  });
}

export { pca, symmetricEigen } from './pca.js';
export { umap2d, reduceForUmap, DEFAULT_FIT_LIMIT } from './umap.js';
