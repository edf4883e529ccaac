// UMAP to 2-D with umap-js (approximate neighbours by NN-descent, then the layout's epochs).
// Wide inputs (raw 768/2048-d features) are first reduced to REDUCED_DIM by PCA, as is usual for
// UMAP: the neighbour search is then many times faster and the neighbours hardly change. Above
// `fitLimit` points UMAP is fitted on a seeded sample and the rest are placed with umap-js's own
// transform (see README: measured times).
import { UMAP } from 'umap-js';
import { seededRandom, shuffleInPlace } from '../encoder/rng.js';
import { pca, timesQ } from './pca.js';

export const REDUCED_DIM = 30;
/** Points fitted directly; beyond it, a sample is fitted and the others transformed. */
export const DEFAULT_FIT_LIMIT = 25_000;

export interface UmapOptions {
  seed?: number;
  nNeighbors?: number;
  minDist?: number;
  fitLimit?: number;
  /** Layout epochs (default umap-js's: 500 below 10,000 points, 200 above). */
  epochs?: number;
  /** Progress by phase; may throw to cancel. */
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** Rows of a row-major matrix as the number[][] umap-js takes. */
function rows(data: Float32Array | Float64Array, n: number, d: number, pick?: ArrayLike<number>): number[][] {
  const count = pick ? pick.length : n;
  const out: number[][] = new Array(count);
  for (let r = 0; r < count; r++) {
    const i = pick ? pick[r] : r;
    out[r] = Array.from(data.subarray(i * d, (i + 1) * d));
  }
  return out;
}

/**
 * PCA to REDUCED_DIM dimensions when wider (randomized, one power iteration: neighbours need no
 * exact components). With `sample`, the components come from those rows only and every row is
 * projected on them (a quarter of the work at 100,000 points with a 25,000 sample).
 */
export function reduceForUmap(data: Float32Array, n: number, d: number, seed = 1, sample?: Int32Array): { data: Float32Array; dim: number } {
  if (d <= REDUCED_DIM || n <= REDUCED_DIM) return { data, dim: d };
  const opts = { oversample: 10, maxIterations: 2, tolerance: 0, seed };
  if (!sample || sample.length >= n) return { data: pca(data, n, d, REDUCED_DIM, opts).scores, dim: REDUCED_DIM };
  const rows = new Float32Array(sample.length * d);
  sample.forEach((i, r) => rows.set(data.subarray(i * d, (i + 1) * d), r * d));
  const fit = pca(rows, sample.length, d, REDUCED_DIM, opts);
  return { data: Float32Array.from(timesQ(data, n, d, fit.mean, fit.components, REDUCED_DIM)), dim: REDUCED_DIM };
}

/** n × 2 coordinates (row-major) of the rows of an n×d matrix. */
export function umap2d(data: Float32Array, n: number, d: number, opts: UmapOptions = {}): Float32Array {
  const out = new Float32Array(n * 2);
  if (n === 0) return out;
  if (n < 3) return out; // nothing to lay out: every point at the origin
  const seed = opts.seed ?? 1;
  const progress = opts.onProgress ?? (() => {});
  const limit = opts.fitLimit ?? DEFAULT_FIT_LIMIT;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (n > limit) shuffleInPlace(order, seededRandom(seed));
  const fitIdx = n > limit ? order.subarray(0, limit) : order;
  progress({ phase: 'reduce', done: 0, total: 0 });
  const reduced = reduceForUmap(data, n, d, seed, n > limit ? fitIdx : undefined);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(opts.nNeighbors ?? 15, fitIdx.length - 1)),
    minDist: opts.minDist ?? 0.1,
    random: seededRandom(seed + 1),
    ...(opts.epochs ? { nEpochs: opts.epochs } : {}),
  });
  progress({ phase: 'neighbours', done: 0, total: 0 });
  const epochs = umap.initializeFit(rows(reduced.data, n, reduced.dim, fitIdx));
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 5 === 0 || e === epochs - 1) progress({ phase: 'layout', done: e + 1, total: epochs });
  }
  const fitted = umap.getEmbedding();
  fitIdx.forEach((i, r) => ((out[i * 2] = fitted[r][0]), (out[i * 2 + 1] = fitted[r][1])));
  // The rest, in chunks so progress (and a cancel) is seen between them.
  const rest = order.subarray(fitIdx.length);
  const chunk = 2000;
  for (let s = 0; s < rest.length; s += chunk) {
    progress({ phase: 'place', done: s, total: rest.length });
    const part = rest.subarray(s, s + chunk);
    const placed = umap.transform(rows(reduced.data, n, reduced.dim, part));
    part.forEach((i, r) => ((out[i * 2] = placed[r][0]), (out[i * 2 + 1] = placed[r][1])));
  }
  return out;
}
