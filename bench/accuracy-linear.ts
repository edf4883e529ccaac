// The linear reference of the accuracy bench: a regularised linear discriminant learnt in closed form
// from the train triplets. With within-pair scatter Sw = mean (a−p)(a−p)ᵀ and between-pair scatter
// Sb = mean (a−n)(a−n)ᵀ of L2-normalised features, it keeps the k directions that maximise
// vᵀSb v / vᵀ(Sw + γ·tr(Sw)/d·I)v (a generalised eigenproblem, solved by whitening with the
// Cholesky factor and subspace iteration). Plain JS on Float64Array: ~1 s for d = 768.

export interface LinearMap {
  dim: number;
  k: number;
  /** dim × k, row-major: x ↦ xᵀW. */
  w: Float64Array;
}

function scatter(x: Float32Array, dim: number, triplets: Int32Array, other: 1 | 2): Float64Array {
  const s = new Float64Array(dim * dim);
  const d = new Float64Array(dim);
  const n = triplets.length / 3;
  for (let t = 0; t < n; t++) {
    const a = triplets[3 * t] * dim;
    const b = triplets[3 * t + other] * dim;
    for (let i = 0; i < dim; i++) d[i] = x[a + i] - x[b + i];
    for (let i = 0; i < dim; i++) {
      const di = d[i] / n;
      if (di === 0) continue;
      const r = i * dim;
      for (let j = 0; j <= i; j++) s[r + j] += di * d[j];
    }
  }
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) s[j * dim + i] = s[i * dim + j];
  return s;
}

/** Lower-triangular L with LLᵀ = a (a symmetric positive definite). */
function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] ** 2;
    const d = Math.sqrt(Math.max(s, 1e-12));
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j];
      for (let k = 0; k < j; k++) v -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = v / d;
    }
  }
  return l;
}

/** Solves L·X = B in place for B (n × m, row-major), L lower-triangular. */
function forwardSolve(l: Float64Array, b: Float64Array, n: number, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k];
      if (lik === 0) continue;
      for (let j = 0; j < m; j++) b[i * m + j] -= lik * b[k * m + j];
    }
    const inv = 1 / l[i * n + i];
    for (let j = 0; j < m; j++) b[i * m + j] *= inv;
  }
}

/** Solves Lᵀ·X = B in place (n × m). */
function backSolveT(l: Float64Array, b: Float64Array, n: number, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i];
      if (lki === 0) continue;
      for (let j = 0; j < m; j++) b[i * m + j] -= lki * b[k * m + j];
    }
    const inv = 1 / l[i * n + i];
    for (let j = 0; j < m; j++) b[i * m + j] *= inv;
  }
}

function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
  return t;
}

/** Gram–Schmidt on the columns of v (n × k). */
function orthonormalize(v: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i * k + c] * v[i * k + p];
      for (let i = 0; i < n; i++) v[i * k + c] -= dot * v[i * k + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i * k + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) v[i * k + c] /= norm;
  }
}

function matMul(a: Float64Array, b: Float64Array, n: number, inner: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < inner; p++) {
      const av = a[i * inner + p];
      if (av === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += av * b[p * m + j];
    }
  return out;
}

/** Fits the discriminant on `x` (rows × dim, L2-normalised) and the train triplets. */
export function fitLinearDiscriminant(x: Float32Array, dim: number, triplets: Int32Array, opts: { k: number; gamma: number; iterations?: number }): LinearMap {
  const sw = scatter(x, dim, triplets, 1);
  const sb = scatter(x, dim, triplets, 2);
  let tr = 0;
  for (let i = 0; i < dim; i++) tr += sw[i * dim + i];
  for (let i = 0; i < dim; i++) sw[i * dim + i] += (opts.gamma * tr) / dim;
  const l = cholesky(sw, dim);
  // C = L⁻¹ Sb L⁻ᵀ: solve L·Y = Sb, then L·Z = Yᵀ (C is symmetric, so Zᵀ = Z).
  forwardSolve(l, sb, dim, dim);
  const c = transpose(sb, dim, dim);
  forwardSolve(l, c, dim, dim);
  const k = opts.k;
  let v: Float64Array = new Float64Array(dim * k);
  for (let i = 0; i < dim; i++) v[i * k + (i % k)] = 1 + i / dim;
  orthonormalize(v, dim, k);
  for (let it = 0; it < (opts.iterations ?? 60); it++) {
    v = matMul(c, v, dim, dim, k);
    orthonormalize(v, dim, k);
  }
  // Back to feature space: W = L⁻ᵀ V.
  backSolveT(l, v, dim, k);
  return { dim, k, w: v };
}

/** Projects rows × dim features (rows L2-normalised first) to rows × k. */
export function projectLinear(map: LinearMap, x: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows * map.k);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let i = 0; i < map.dim; i++) norm += x[r * map.dim + i] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < map.dim; i++) {
      const xv = x[r * map.dim + i] * inv;
      if (xv === 0) continue;
      for (let j = 0; j < map.k; j++) out[r * map.k + j] += xv * map.w[i * map.k + j];
    }
  }
  return out;
}
