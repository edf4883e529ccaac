// Plain-JS distances and the triplet loss (used for scoring, baselines and tests; training uses the tf twins in model.ts).
import type { Distance } from '../../../shared/types.js';

/** l1: Σ|a−b|; l2: Euclidean √Σ(a−b)²; cosine: 1 − a·b/(|a||b|) (0 for a zero vector). */
export function distance(kind: Distance, a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`distance: length mismatch ${a.length} vs ${b.length}`);
  const n = a.length;
  if (kind === 'l1') {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i] - b[i]);
    return s;
  }
  if (kind === 'l2') {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const den = Math.sqrt(na) * Math.sqrt(nb);
  return den > 0 ? 1 - dot / den : 1;
}

/** A copy of v scaled to unit Euclidean length (a zero vector stays zero). */
export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const out = new Float32Array(v.length);
  if (s === 0) return out;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

/** max(dAP − dAN + margin, 0). */
export function tripletLoss(dAP: number, dAN: number, margin: number): number {
  return Math.max(dAP - dAN + margin, 0);
}

export type Triplet = readonly [number, number, number];

/** d(A,P) and d(A,N) for each triplet of image ids; a triplet is predicted correct when dAP < dAN. */
export function scoreTriplets(vectors: Map<number, Float32Array>, triplets: readonly Triplet[], kind: Distance): { dAP: number; dAN: number }[] {
  return triplets.map(([a, p, n]) => {
    const va = vectors.get(a);
    const vp = vectors.get(p);
    const vn = vectors.get(n);
    if (!va || !vp || !vn) throw new Error(`scoreTriplets: no vector for image ${!va ? a : !vp ? p : n}`);
    return { dAP: distance(kind, va, vp), dAN: distance(kind, va, vn) };
  });
}

/** Fraction of scored triplets with dAP < dAN (0 for none). */
export function tripletAccuracy(scores: readonly { dAP: number; dAN: number }[]): number {
  if (scores.length === 0) return 0;
  let ok = 0;
  for (const s of scores) if (s.dAP < s.dAN) ok++;
  return ok / scores.length;
}
