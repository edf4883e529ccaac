// Exploring suggestions: what a curator's own random triplets give, made by the model. For anchors in
// a seeded random order, the positive is a random image the model finds likely alike (p ≥ likelyAlike)
// that no label ties to the anchor yet, the negative a random image it finds likely different
// (p ≤ likelyDifferent) that no label ties to it. Unlike the ranked candidates (./suggest.ts), which
// pair an anchor with its near neighbours, these reach across the whole of a likely kind, so one
// answer joins distant pieces of it (and implied triplets spread that). Measured on validation
// (docs/suggest-measurements.md, "Exploring first"): they taught the model more than the ranked ones
// on both shared sets as one project (partly through pairs across the two sets) and with 60 start
// lines; on trash the lead was within what a control of labels telling nothing new gains, and on
// flowers at 300 lines nothing gains.
import { shuffleInPlace } from '../encoder/rng.js';

export interface ExploreInput {
  /** Pool size (indices 0…n−1). */
  n: number;
  /** Distances from pool index a to every pool index. */
  rowOf(a: number): Float32Array;
  /** p(alike) of two pool indices at distance d, and whether the labels already decide it. */
  pAlike(a: number, j: number, d: number): { p: number; known: boolean };
  /** True when this triplet (anchor, x, y in pool indices) must not come back (rejected, stored). */
  skip(a: number, x: number, y: number): boolean;
  /** How many suggestions of the batch an image may be in. */
  maxUses: number;
  likelyAlike: number;
  likelyDifferent: number;
}

export interface Explored {
  anchor: number;
  x: number;
  y: number;
  dx: number;
  dy: number;
  px: number;
  py: number;
}

/**
 * Up to `count` exploring triplets (pool indices, x the drawn positive), at most one per anchor, each
 * image in at most `maxUses` of them. `between` runs before each anchor (progress, yield, cancel).
 */
export async function exploreTriplets(input: ExploreInput, count: number, rand: () => number, between: (found: number) => Promise<void> = async () => {}): Promise<Explored[]> {
  const order = Array.from({ length: input.n }, (_, i) => i);
  shuffleInPlace(order, rand);
  const used = new Map<number, number>();
  const room = (j: number): boolean => (used.get(j) ?? 0) < input.maxUses;
  const out: Explored[] = [];
  for (const a of order) {
    if (out.length >= count) break;
    await between(out.length);
    if (!room(a)) continue;
    const row = input.rowOf(a);
    const alike: number[] = [];
    const different: number[] = [];
    for (let j = 0; j < input.n; j++) {
      if (j === a || !room(j)) continue;
      const { p, known } = input.pAlike(a, j, row[j]);
      // Positive: likely alike and open (a known-alike one teaches only what the labels already imply).
      if (!known && p >= input.likelyAlike) alike.push(j);
      // Negative: likely different, known apart or open, never one the labels tie to the anchor.
      else if (p <= input.likelyDifferent) different.push(j);
    }
    if (!alike.length || !different.length) continue;
    const x = alike[Math.floor(rand() * alike.length)];
    const y = different[Math.floor(rand() * different.length)];
    if (input.skip(a, x, y)) continue;
    out.push({ anchor: a, x, y, dx: row[x], dy: row[y], px: input.pAlike(a, x, row[x]).p, py: input.pAlike(a, y, row[y]).p });
    for (const j of [a, x, y]) used.set(j, (used.get(j) ?? 0) + 1);
  }
  return out;
}
