// PCA by subspace (block power) iteration on the centred data, never forming the d×d covariance:
// each pass costs two n×d×k products, so 100,000 × 768-d features take seconds, not minutes.
// Used exactly (iterated to convergence) for the 2-D map, and as a fast randomized reduction to
// ~30 dimensions before UMAP's neighbour search.
import { seededRandom } from '../encoder/rng.js';

export interface PcaResult {
  /** Column means the data was centred by. */
  mean: Float64Array;
  /** n × k scores (row-major): each row's coordinates on the components. */
  scores: Float32Array;
  /** d × k components (row-major by feature), unit length, ordered by variance. */
  components: Float64Array;
  /** Variance along each component. */
  variances: number[];
  iterations: number;
}

export interface PcaOptions {
  /** Extra vectors iterated beside the k wanted ones (faster, surer convergence). */
  oversample?: number;
  maxIterations?: number;
  /** Stop when the top-k variances change by less than this (relative). */
  tolerance?: number;
  seed?: number;
  /** Throws to cancel (called once per pass). */
  onIteration?: (iteration: number, max: number) => void;
}

/** Column means of an n×d row-major matrix. */
export function columnMeans(data: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) mean[t] += data[o + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, n);
  return mean;
}

/** Y = (X − 1·μᵀ) Q for Q d×m (row-major): n×m. Dot products over contiguous rows (Q transposed once). */
export function timesQ(data: Float32Array, n: number, d: number, mean: Float64Array, q: Float64Array, m: number): Float64Array {
  const y = new Float64Array(n * m);
  const qT = new Float64Array(m * d);
  for (let t = 0; t < d; t++) for (let j = 0; j < m; j++) qT[j * d + t] = q[t * m + j];
  // The mean's share is the same for every row: μᵀQ once.
  const muQ = new Float64Array(m);
  for (let j = 0; j < m; j++) for (let t = 0; t < d; t++) muQ[j] += mean[t] * qT[j * d + t];
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < m; j++) {
      const col = qT.subarray(j * d, (j + 1) * d);
      let s = 0;
      for (let t = 0; t < d; t++) s += row[t] * col[t];
      y[i * m + j] = s - muQ[j];
    }
  }
  return y;
}

/** Z = (X − 1·μᵀ)ᵀ Y for Y n×m: d×m. Accumulated as contiguous axpys into Zᵀ. */
function transposeTimes(data: Float32Array, n: number, d: number, mean: Float64Array, y: Float64Array, m: number): Float64Array {
  const zT = new Float64Array(m * d);
  const ySum = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < m; j++) {
      const yj = y[i * m + j];
      ySum[j] += yj;
      const col = zT.subarray(j * d, (j + 1) * d);
      for (let t = 0; t < d; t++) col[t] += row[t] * yj;
    }
  }
  const z = new Float64Array(d * m);
  for (let t = 0; t < d; t++) for (let j = 0; j < m; j++) z[t * m + j] = zT[j * d + t] - mean[t] * ySum[j];
  return z;
}

/** Modified Gram–Schmidt on the m columns of a d×m matrix, in place (a dependent column is re-drawn). */
function orthonormalize(q: Float64Array, d: number, m: number, rand: () => number): void {
  for (let j = 0; j < m; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += q[t * m + j] * q[t * m + k];
        for (let t = 0; t < d; t++) q[t * m + j] -= dot * q[t * m + k];
      }
    }
    let norm = 0;
    for (let t = 0; t < d; t++) norm += q[t * m + j] ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) {
      for (let t = 0; t < d; t++) q[t * m + j] = rand() - 0.5;
      j--; // orthogonalise the new draw again
      continue;
    }
    for (let t = 0; t < d; t++) q[t * m + j] /= norm;
  }
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): values descending, vectors as columns. */
export function symmetricEigen(a: Float64Array, m: number): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p];
          const akq = A[k * m + q];
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k];
          const aqk = A[q * m + k];
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p];
          const vkq = V[k * m + q];
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(m).keys()].sort((i, j) => A[j * m + j] - A[i * m + i]);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) vectors[k * m + dst] = V[k * m + src];
  });
  return { values: order.map((i) => A[i * m + i]), vectors };
}

/**
 * The top k principal components of an n×d row-major matrix and each row's scores on them.
 * Signs are fixed (each component's largest-magnitude loading is positive) so results repeat.
 */
export function pca(data: Float32Array, n: number, d: number, k: number, opts: PcaOptions = {}): PcaResult {
  const m = Math.min(d, n, k + (opts.oversample ?? 6));
  const kk = Math.min(k, m);
  const maxIt = opts.maxIterations ?? 40;
  const tol = opts.tolerance ?? 1e-5;
  const rand = seededRandom(opts.seed ?? 1);
  const mean = columnMeans(data, n, d);
  let q: Float64Array = new Float64Array(d * m);
  for (let i = 0; i < q.length; i++) q[i] = rand() - 0.5;
  orthonormalize(q, d, m, rand);
  let previous: number[] = [];
  let iterations = 0;
  let eig: { values: number[]; vectors: Float64Array } = { values: [], vectors: new Float64Array(0) };
  for (; iterations < maxIt; ) {
    opts.onIteration?.(iterations, maxIt);
    iterations++;
    const y = timesQ(data, n, d, mean, q, m);
    const z = transposeTimes(data, n, d, mean, y, m);
    // Rayleigh–Ritz on span(Q): B = Qᵀ C Q = (XQ)ᵀ(XQ) / n, then rotate Q onto B's eigenvectors.
    const b = new Float64Array(m * m);
    for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) for (let c = a; c < m; c++) b[a * m + c] += y[i * m + a] * y[i * m + c];
    for (let a = 0; a < m; a++) for (let c = 0; c < a; c++) b[a * m + c] = b[c * m + a];
    for (let i = 0; i < b.length; i++) b[i] /= Math.max(1, n);
    eig = symmetricEigen(b, m);
    const converged = previous.length > 0 && eig.values.slice(0, kk).every((v, i) => Math.abs(v - previous[i]) <= tol * Math.max(Math.abs(v), 1e-30));
    previous = eig.values;
    if (converged || iterations >= maxIt) break;
    orthonormalize(z, d, m, rand);
    q = z;
  }
  // Components: Q rotated by B's eigenvectors (the top kk columns).
  const comps = new Float64Array(d * kk);
  for (let t = 0; t < d; t++) for (let j = 0; j < kk; j++) {
    let s = 0;
    for (let a = 0; a < m; a++) s += q[t * m + a] * eig.vectors[a * m + j];
    comps[t * kk + j] = s;
  }
  fixSigns(comps, d, kk);
  const scores = new Float32Array(n * kk);
  const y = timesQ(data, n, d, mean, comps, kk);
  for (let i = 0; i < y.length; i++) scores[i] = y[i];
  return { mean, scores, components: comps, variances: eig.values.slice(0, kk), iterations };
}

/** Each column's largest-magnitude entry made positive (an eigenvector's sign is arbitrary). */
function fixSigns(c: Float64Array, d: number, k: number): void {
  for (let j = 0; j < k; j++) {
    let best = 0;
    for (let t = 0; t < d; t++) if (Math.abs(c[t * k + j]) > Math.abs(best)) best = c[t * k + j];
    if (best < 0) for (let t = 0; t < d; t++) c[t * k + j] = -c[t * k + j];
  }
}
