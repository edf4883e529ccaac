// Choosing triplets for the user to label (active learning). Every candidate is an anchor with two
// of its near neighbours in the current embedding; the one the model finds closer is shown as the
// positive. A candidate is worth a label when it is answerable (exactly one of the two is likely
// alike the anchor — else the labeller can only reject it) and informative (the expected triplet
// loss once labelled is high: the model is unsure, or likely wrong). Images in no triplet yet get a
// bonus (coverage); the batch is spread over many anchors and images.
import type { Distance } from '../../../shared/types.js';
import { distance as distanceOf, type Triplet } from '../encoder/distances.js';
import { seededRandom, shuffleInPlace } from '../encoder/rng.js';
import { calibrate, type SameProbability } from './calibrate.js';
import { evidenceOf, type Evidence } from './evidence.js';

export type SuggestionReason = 'uncertain' | 'hard-negative' | 'coverage';

export interface Suggestion {
  anchor: number;
  /** The image the model finds closer to the anchor. */
  positive: number;
  negative: number;
  reason: SuggestionReason;
  dAP: number;
  dAN: number;
  /** Estimated chance that exactly one of positive/negative is alike the anchor (the labeller can answer). */
  answerable: number;
  /** Estimated chance the labeller swaps it (the model has it the wrong way round). */
  swap: number;
  score: number;
}

export interface SuggestParams {
  /** Neighbours of each anchor among which positive and negative are chosen. */
  neighbours: number;
  /** Flattens p(alike | distance) fitted on train pairs (which the encoder has overfitted). */
  temperature: number;
  /** Score multiplier per image of the triplet that is in no triplet yet. */
  coverageBonus: number;
  /** How many suggestions of one batch may use the same image. */
  maxUsesPerImage: number;
  /** Score multiplier when the labels already imply the answer (both pairs known). */
  impliedFactor: number;
  /** Largest pool compared pairwise (images beyond are sampled, unused images first). */
  poolCap: number;
}

export const DEFAULT_SUGGEST_PARAMS: SuggestParams = {
  neighbours: 30,
  temperature: 2,
  coverageBonus: 0.5,
  maxUsesPerImage: 2,
  impliedFactor: 0.3,
  poolCap: 2000,
};

export interface SuggestInput {
  /** Images suggestions may use (never images of test triplets). */
  pool: readonly number[];
  vectors: ReadonlyMap<number, Float32Array>;
  distance: Distance;
  /** The training margin: a labelled triplet teaches the model only while d(A,N) − d(A,P) < margin. */
  margin: number;
  /** Active train triplets [anchor, positive, negative]. */
  train: readonly Triplet[];
  /** Triplets never to propose again (rejected, already stored): keys from tripletKey. */
  skip: ReadonlySet<string>;
  count: number;
  seed?: number;
  params?: Partial<SuggestParams>;
}

/** Order-free key of a suggestion (anchor + the unordered pair), as stored for rejections. */
export function tripletKey(anchor: number, x: number, y: number): string {
  return x < y ? `${anchor}:${x}:${y}` : `${anchor}:${y}:${x}`;
}

const ALIKE_KNOWN = 0.97;

/** Caps the pool: images in no train triplet first, then a seeded sample of the rest. */
function cappedPool(input: SuggestInput, ev: Evidence, cap: number, rand: () => number): number[] {
  const ids = input.pool.filter((id) => input.vectors.has(id));
  if (ids.length <= cap) return ids;
  shuffleInPlace(ids, rand);
  ids.sort((a, b) => Math.min(ev.uses(a), 1) - Math.min(ev.uses(b), 1));
  return ids.slice(0, cap);
}

function distanceMatrix(ids: number[], vectors: ReadonlyMap<number, Float32Array>, kind: Distance): Float32Array {
  const n = ids.length;
  const D = new Float32Array(n * n);
  const vs = ids.map((id) => vectors.get(id)!);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = distanceOf(kind, vs[i], vs[j]);
      D[i * n + j] = d;
      D[j * n + i] = d;
    }
  return D;
}

/** p(alike | distance), fitted on the train triplets' anchor–positive and anchor–negative pairs. */
function sameProbability(input: SuggestInput, D: Float32Array, temperature: number): SameProbability {
  const usable = input.train.filter((t) => t.every((id) => input.vectors.has(id)));
  const dist = new Float64Array(usable.length * 2);
  const alike = new Uint8Array(usable.length * 2);
  usable.forEach(([a, p, n], i) => {
    const va = input.vectors.get(a)!;
    dist[2 * i] = distanceOf(input.distance, va, input.vectors.get(p)!);
    alike[2 * i] = 1;
    dist[2 * i + 1] = distanceOf(input.distance, va, input.vectors.get(n)!);
  });
  const sample = new Float64Array(Math.min(D.length, 20000));
  for (let i = 0; i < sample.length; i++) sample[i] = D[Math.floor((i * D.length) / sample.length)];
  return calibrate({ dist, alike }, sample.filter((d) => d > 0), { temperature, minPairs: 40, priorQuantile: 0.15 });
}

/** Nearest `k` pool indices of row i (excluding i). */
function nearest(D: Float32Array, n: number, i: number, k: number): number[] {
  const idx: number[] = [];
  for (let j = 0; j < n; j++) if (j !== i) idx.push(j);
  idx.sort((x, y) => D[i * n + x] - D[i * n + y]);
  return idx.slice(0, k);
}

interface Scored extends Suggestion {
  anchorIx: number;
}

/** Scores one anchor with two candidates (dx ≤ dy: x is shown as the positive). */
function scoreCandidate(
  ids: number[], a: number, x: number, y: number, dx: number, dy: number,
  pAlike: (i: number, j: number, d: number) => { p: number; known: boolean }, input: SuggestInput, ev: Evidence, params: SuggestParams,
): Scored {
  const [A, X, Y] = [ids[a], ids[x], ids[y]];
  const px = pAlike(A, X, dx);
  const py = pAlike(A, Y, dy);
  const accept = px.p * (1 - py.p);
  const swap = py.p * (1 - px.p);
  const m = input.margin;
  // Expected loss once labelled: as shown (small when the model is sure) or swapped (large).
  let score = accept * Math.max(dx - dy + m, 0) + swap * (dy - dx + m);
  if (px.known && py.known) score *= params.impliedFactor;
  const unused = [A, X, Y].filter((id) => ev.uses(id) === 0).length;
  score *= 1 + params.coverageBonus * unused;
  const hard = ev.known(A, Y) === 0 || ev.known(A, X) === 0;
  const reason: SuggestionReason = unused > 0 ? 'coverage' : hard ? 'hard-negative' : 'uncertain';
  const answerable = accept + swap;
  return { anchor: A, positive: X, negative: Y, reason, dAP: dx, dAN: dy, answerable, swap: answerable > 0 ? swap / answerable : 0, score, anchorIx: a };
}

/** The best few candidates per anchor, skipping triplets that must not come back. */
function candidatesOf(ids: number[], D: Float32Array, input: SuggestInput, ev: Evidence, ps: SameProbability, params: SuggestParams): Scored[] {
  const n = ids.length;
  const pAlike = (i: number, j: number, d: number): { p: number; known: boolean } => {
    const k = ev.known(i, j);
    return k === null ? { p: ps(d), known: false } : { p: k ? ALIKE_KNOWN : 1 - ALIKE_KNOWN, known: true };
  };
  const out: Scored[] = [];
  for (let a = 0; a < n; a++) {
    const near = nearest(D, n, a, params.neighbours);
    const best: Scored[] = [];
    for (let u = 0; u < near.length; u++)
      for (let v = u + 1; v < near.length; v++) {
        const [x, y] = [near[u], near[v]]; // near is sorted: x is the closer one
        if (input.skip.has(tripletKey(ids[a], ids[x], ids[y]))) continue;
        const s = scoreCandidate(ids, a, x, y, D[a * n + x], D[a * n + y], pAlike, input, ev, params);
        if (s.score > 0) best.push(s);
      }
    best.sort((p, q) => q.score - p.score);
    out.push(...best.slice(0, 4));
  }
  return out;
}

/** Greedy pick by score: one suggestion per anchor, each image in at most `maxUsesPerImage` of them. */
function pickSpread(cands: Scored[], count: number, maxUses: number): Suggestion[] {
  cands.sort((p, q) => q.score - p.score);
  const uses = new Map<number, number>();
  const anchors = new Set<number>();
  const picked: Suggestion[] = [];
  for (const c of cands) {
    if (picked.length >= count) break;
    if (anchors.has(c.anchor)) continue;
    if ([c.anchor, c.positive, c.negative].some((id) => (uses.get(id) ?? 0) >= maxUses)) continue;
    anchors.add(c.anchor);
    for (const id of [c.anchor, c.positive, c.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
    const { anchorIx: _, ...s } = c;
    picked.push(s);
  }
  return picked;
}

/** Up to `count` suggestions, best first. */
export function suggestTriplets(input: SuggestInput): Suggestion[] {
  const params = { ...DEFAULT_SUGGEST_PARAMS, ...input.params };
  const ev = evidenceOf(input.train);
  const ids = cappedPool(input, ev, params.poolCap, seededRandom(input.seed ?? 1));
  if (ids.length < 3 || input.count <= 0) return [];
  const D = distanceMatrix(ids, input.vectors, input.distance);
  const ps = sameProbability(input, D, params.temperature);
  const cands = candidatesOf(ids, D, input, ev, ps, params);
  let picked = pickSpread(cands, input.count, params.maxUsesPerImage);
  // Small pools: relax the spreading rather than return fewer than asked.
  if (picked.length < input.count) picked = pickSpread(cands, input.count, Number.POSITIVE_INFINITY);
  return picked;
}
