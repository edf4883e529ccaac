// Scoring triplets with a run's encoder (or the raw features, the baseline): embeddings of cached
// features, distances per triplet, accuracy.
import type { Distance } from '../../shared/types.js';
import { embedFeatures, l2normalize, scoreTriplets, type EncoderWeights } from '../ml/index.js';
import type { SnapshotTriplet } from '../store/triplets.js';

export interface ScoredTriplet {
  tripletId: number;
  line: number | null;
  dAP: number;
  dAN: number;
  correct: boolean;
}

/** Every image id the triplet lists name. */
export function imageIdsOf(...lists: SnapshotTriplet[][]): number[] {
  const ids = new Set<number>();
  for (const list of lists) for (const t of list) (ids.add(t.a), ids.add(t.p), ids.add(t.n));
  return [...ids];
}

/** Encoder embeddings of the given features (one matrix multiply chain, no dropout). */
export function embedAll(encoder: EncoderWeights, features: Map<number, Float32Array>): Map<number, Float32Array> {
  const ids = [...features.keys()];
  const out = new Map<number, Float32Array>();
  if (ids.length === 0) return out;
  const dim = features.get(ids[0])!.length;
  const rows = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => rows.set(features.get(id)!, i * dim));
  const emb = embedFeatures(encoder, rows, ids.length, dim);
  const e = emb.length / ids.length;
  ids.forEach((id, i) => out.set(id, emb.slice(i * e, (i + 1) * e)));
  return out;
}

/** The raw features, normalised: the untrained baseline's vectors. */
export function normalizedAll(features: Map<number, Float32Array>): Map<number, Float32Array> {
  return new Map([...features].map(([id, v]) => [id, l2normalize(v)]));
}

/** Scores triplets whose three images have vectors; the rest are left out. */
export function score(vectors: Map<number, Float32Array>, triplets: SnapshotTriplet[], kind: Distance): ScoredTriplet[] {
  const usable = triplets.filter((t) => vectors.has(t.a) && vectors.has(t.p) && vectors.has(t.n));
  const s = scoreTriplets(vectors, usable.map((t) => [t.a, t.p, t.n] as [number, number, number]), kind);
  return usable.map((t, i) => ({ tripletId: t.id, line: t.line, dAP: s[i].dAP, dAN: s[i].dAN, correct: s[i].dAP < s[i].dAN }));
}

/** Share of `s` predicted right; null when nothing was scored (no test triplets is not 0% right). */
export const accuracyOf = (s: ScoredTriplet[]): number | null => (s.length ? s.filter((x) => x.correct).length / s.length : null);
