// Parts of the suggestion benchmark: the simulated labeller (an image's class is its folder under
// images/, as classes.tsv lists it), the data of one seed (start triplets, pool, scoring set) and
// the three ways of spending a 100-triplet budget.
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { embedFeatures } from '../src/main/ml/encoder/model.js';
import { fitEncoder } from '../src/main/ml/encoder/fit.js';
import { seededRandom, shuffleInPlace } from '../src/main/ml/encoder/rng.js';
import { suggestTriplets, tripletKey, type SuggestParams, type Suggestion } from '../src/main/ml/suggest/suggest.js';
import type { Triplet } from '../src/main/ml/encoder/distances.js';
import type { AccuracySet } from './accuracy-data.js';

export type Answer = 'accept' | 'swap' | 'reject';

export const classOf = (set: AccuracySet, row: number): string => set.names[row].split('/')[0];

/** The simulated labeller: accept when only the shown positive shares the anchor's class, swap when only the negative does, else reject. */
export function answer(set: AccuracySet, [a, p, n]: Triplet): Answer {
  const [ca, cp, cn] = [a, p, n].map((r) => classOf(set, r));
  if (ca === cp && ca !== cn) return 'accept';
  if (ca === cn && ca !== cp) return 'swap';
  return 'reject';
}

/** The labelled triplet for an answer (null when rejected). */
export function labelled(t: Triplet, ans: Answer): Triplet | null {
  return ans === 'accept' ? t : ans === 'swap' ? [t[0], t[2], t[1]] : null;
}

export interface SeedData {
  start: Triplet[];
  rest: Triplet[];
  pool: number[];
  score: Int32Array;
}

const triplesOf = (flat: Int32Array): Triplet[] => {
  const out: Triplet[] = [];
  for (let i = 0; i < flat.length; i += 3) out.push([flat[i], flat[i + 1], flat[i + 2]]);
  return out;
};

/** Class-consistent triplets scored in --validate: thousands, so a gain of 0.01 is not lost in sampling noise (400 gave ±0.015). */
export const VALIDATE_SCORE_TRIPLETS = 6000;

/**
 * One seed's data. test: all train.txt lines, the train images as the pool, test.txt to score.
 * validate: 30% of the train images held out (never suggested, never trained on); lines with none
 * of them, `startCount` scaled to the 70% kept (210); scored on `scoreCount` distinct
 * class-consistent triplets drawn from the held-out images.
 */
export function seedData(set: AccuracySet, seed: number, mode: 'test' | 'validate', startCount: number, scoreCount = VALIDATE_SCORE_TRIPLETS): SeedData {
  const rand = seededRandom(seed * 7919 + 13);
  const images = [...new Set(set.train)].sort((a, b) => a - b);
  let lines = triplesOf(set.train);
  let pool = images;
  let score = set.test;
  if (mode === 'validate') {
    shuffleInPlace(images, rand);
    const held = new Set(images.slice(0, Math.round(images.length * 0.3)));
    pool = images.filter((r) => !held.has(r));
    lines = lines.filter((t) => t.every((r) => !held.has(r)));
    const h = [...held];
    const ev: number[] = [];
    const seen = new Set<string>();
    while (ev.length < scoreCount * 3) {
      const [a, p, n] = [0, 0, 0].map(() => h[Math.floor(rand() * h.length)]);
      if (a === p || classOf(set, a) !== classOf(set, p) || classOf(set, a) === classOf(set, n) || seen.has(`${a},${p},${n}`)) continue;
      seen.add(`${a},${p},${n}`);
      ev.push(a, p, n);
    }
    score = Int32Array.from(ev);
    // As many start lines per pool image as in test mode (300 over all train images): 300 lines over
    // the 70% kept would tie nearly every image into its class group, leaving nothing to find.
    startCount = Math.round((startCount * pool.length) / images.length);
  }
  shuffleInPlace(lines, rand);
  return { start: lines.slice(0, startCount), rest: lines.slice(startCount), pool, score };
}

/** Trains with the default options and returns the embeddings of every image (rows × e). */
export async function fitAndEmbed(set: AccuracySet, train: Triplet[], seed: number): Promise<Float32Array> {
  const r = await fitEncoder({ dim: set.dim, features: set.plain, triplets: Int32Array.from(train.flat()), options: { ...DEFAULT_TRAIN_OPTIONS, seed } });
  return embedFeatures({ weights: r.weights }, set.plain, set.names.length, set.dim);
}

/** Fraction of scoring triplets with d(a,p) < d(a,n) under l2 on the embeddings. */
export function accuracy(emb: Float32Array, rows: number, triplets: Int32Array): number {
  const e = emb.length / rows;
  const d = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < e; i++) s += (emb[a * e + i] - emb[b * e + i]) ** 2;
    return s;
  };
  let ok = 0;
  for (let t = 0; t < triplets.length; t += 3) if (d(triplets[t], triplets[t + 1]) < d(triplets[t], triplets[t + 2])) ok++;
  return ok / (triplets.length / 3);
}

export interface Spent {
  added: Triplet[];
  counts: Record<Answer, number>;
  reasons: Record<string, { shown: number; rejected: number }>;
  /** The rejected triplets as shown (probes that count a rejection's kind). */
  rejectedShown?: Triplet[];
}

/** 100 suggestions from the model trained on the start triplets, answered by the labeller; rejections spend the budget too. */
export async function spendOnSuggestions(set: AccuracySet, d: SeedData, emb: Float32Array, budget: number, seed: number, params?: Partial<SuggestParams>): Promise<Spent> {
  const e = emb.length / set.names.length;
  const vectors = new Map(d.pool.map((r) => [r, emb.subarray(r * e, (r + 1) * e)]));
  const skip = new Set(d.start.map(([a, p, n]) => tripletKey(a, p, n)));
  const s = await suggestTriplets({ pool: d.pool, vectors, distance: 'l2', margin: DEFAULT_TRAIN_OPTIONS.margin, train: d.start, skip, count: budget, seed, params });
  return spend(set, s.map((x) => ({ t: [x.anchor, x.positive, x.negative] as Triplet, reason: x.reason })));
}

/** 100 image triples drawn at random from the pool, shown in random order, answered by the labeller. */
export function spendOnRandomTriples(set: AccuracySet, d: SeedData, budget: number, seed: number): Spent {
  const rand = seededRandom(seed * 31 + 5);
  const shown: { t: Triplet; reason: string }[] = [];
  while (shown.length < budget) {
    const [a, p, n] = [0, 0, 0].map(() => d.pool[Math.floor(rand() * d.pool.length)]);
    if (a !== p && a !== n && p !== n) shown.push({ t: [a, p, n], reason: 'random' });
  }
  return spend(set, shown);
}

/** The next 100 lines of the set's own train.txt (curated, all answerable: the strongest random baseline). */
export function spendOnRandomLines(d: SeedData, budget: number): Spent {
  const added = d.rest.slice(0, budget);
  return { added, counts: { accept: added.length, swap: 0, reject: 0 }, reasons: { lines: { shown: added.length, rejected: 0 } } };
}

function spend(set: AccuracySet, shown: { t: Triplet; reason: string }[]): Spent {
  const out: Spent = { added: [], counts: { accept: 0, swap: 0, reject: 0 }, reasons: {}, rejectedShown: [] };
  for (const { t, reason } of shown) {
    const ans = answer(set, t);
    out.counts[ans]++;
    const r = (out.reasons[reason] ??= { shown: 0, rejected: 0 });
    r.shown++;
    if (ans === 'reject') (r.rejected++, out.rejectedShown!.push(t));
    const l = labelled(t, ans);
    if (l) out.added.push(l);
  }
  return out;
}

export type { Suggestion };
