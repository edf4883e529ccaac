// Post-processing of backbone features before the encoder (accuracy-bench candidate, not used by the
// product: it lost on CV, see accuracy-transform.ts), fitted on the training images only and
// would be stored with the model so evaluation applies exactly the same map. Steps, in order:
//   power: x ↦ sign(x)·|x|^p (p = 0.5: signed square root; damps the few very large activations)
//   l2:    each row scaled to unit length
//   centre/scale: per-dimension mean subtracted and divided by its sd (+ eps), both from the train rows
// Plain JS on Float32Array: a few ms for 300 × 768.

export type FeatureTransformKind = 'none' | 'l2' | 'sqrt-l2' | 'standardize' | 'sqrt-l2-standardize';

export const FEATURE_TRANSFORM_KINDS: readonly FeatureTransformKind[] = ['none', 'l2', 'sqrt-l2', 'standardize', 'sqrt-l2-standardize'];

/** A fitted transform: plain JSON (saved in the model's metadata). */
export interface FeatureTransform {
  kind: FeatureTransformKind;
  dim: number;
  /** Per-dimension mean and 1/sd of the train rows after power and l2 (standardize kinds only). */
  mean?: number[];
  invSd?: number[];
}

/** Variance floor, relative to the mean variance: keeps near-constant dimensions from blowing up. */
const SD_EPS = 0.01;

const usesPower = (k: FeatureTransformKind): boolean => k === 'sqrt-l2' || k === 'sqrt-l2-standardize';
const usesL2 = (k: FeatureTransformKind): boolean => k !== 'none' && k !== 'standardize';
const usesStandardize = (k: FeatureTransformKind): boolean => k === 'standardize' || k === 'sqrt-l2-standardize';

/** Power and l2 steps of one row (no fitted state), written into out at offset. */
function rowSteps(kind: FeatureTransformKind, x: Float32Array, from: number, dim: number, out: Float32Array, at: number): void {
  for (let i = 0; i < dim; i++) {
    const v = x[from + i];
    out[at + i] = usesPower(kind) ? Math.sign(v) * Math.sqrt(Math.abs(v)) : v;
  }
  if (!usesL2(kind)) return;
  let s = 0;
  for (let i = 0; i < dim; i++) s += out[at + i] ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < dim; i++) out[at + i] *= inv;
}

/**
 * Fits `kind` on the given rows of `features` (rows × dim): only the training images' rows should
 * be passed, so nothing about the evaluation images leaks into the model.
 */
export function fitFeatureTransform(kind: FeatureTransformKind, features: Float32Array, dim: number, trainRows: Iterable<number>): FeatureTransform {
  if (!FEATURE_TRANSFORM_KINDS.includes(kind)) throw new Error(`feature transform: unknown kind ${kind}`);
  if (!usesStandardize(kind)) return { kind, dim };
  const rows = [...new Set(trainRows)];
  if (rows.length === 0) throw new Error('feature transform: no training rows to fit on');
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  const buf = new Float32Array(dim);
  for (const r of rows) {
    rowSteps(kind, features, r * dim, dim, buf, 0);
    for (let i = 0; i < dim; i++) (mean[i] += buf[i]), (sq[i] += buf[i] * buf[i]);
  }
  const variance = Array.from(mean, (m, i) => Math.max(0, sq[i] / rows.length - (m / rows.length) ** 2));
  const floor = (SD_EPS * variance.reduce((a, b) => a + b, 0)) / dim;
  return {
    kind,
    dim,
    mean: Array.from(mean, (m) => m / rows.length),
    invSd: variance.map((v) => 1 / Math.sqrt(v + floor)),
  };
}

/** Applies a fitted transform to n rows (n × dim) → a new n × dim array. */
export function applyFeatureTransform(t: FeatureTransform, features: Float32Array, n: number): Float32Array {
  const dim = t.dim;
  if (features.length < n * dim) throw new Error(`feature transform: ${features.length} values for ${n}×${dim}`);
  const out = new Float32Array(n * dim);
  if (t.kind === 'none') return (out.set(features.subarray(0, n * dim)), out);
  for (let r = 0; r < n; r++) {
    rowSteps(t.kind, features, r * dim, dim, out, r * dim);
    if (t.mean && t.invSd) for (let i = 0; i < dim; i++) out[r * dim + i] = (out[r * dim + i] - t.mean[i]) * t.invSd[i];
  }
  return out;
}

/** Reads a transform back from saved JSON, checking its shape (errors say what is wrong). */
export function parseFeatureTransform(json: unknown, dim: number): FeatureTransform {
  const t = json as Partial<FeatureTransform> | null;
  if (!t || typeof t !== 'object' || !FEATURE_TRANSFORM_KINDS.includes(t.kind as FeatureTransformKind)) throw new Error(`feature transform: unknown or missing kind ${JSON.stringify(t?.kind)}`);
  if (t.dim !== dim) throw new Error(`feature transform: fitted on ${t.dim}-d features, got ${dim}`);
  if (usesStandardize(t.kind!) && (t.mean?.length !== dim || t.invSd?.length !== dim)) throw new Error(`feature transform ${t.kind}: mean/invSd must have ${dim} values`);
  return { kind: t.kind!, dim, ...(t.mean ? { mean: t.mean, invSd: t.invSd } : {}) };
}
