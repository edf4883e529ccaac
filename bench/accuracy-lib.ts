// Recipes and scoring for the accuracy bench: image-disjoint cross-validation folds over a set's
// train split, and one function that trains a recipe (encoder, ensemble, linear reference, raw
// features) on some triplets and scores other triplets with it.
import type { TrainOptions } from '../src/shared/types.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { embedFeatures, type NamedWeight } from '../src/main/ml/encoder.js';
import { fitEncoder } from '../src/main/ml/fit.js';
import { seededRandom, shuffleInPlace } from '../src/main/ml/rng.js';
import type { AccuracySet } from './accuracy-data.js';
import { fitLinearDiscriminant, projectLinear } from './accuracy-linear.js';

export interface Recipe {
  name: string;
  kind: 'encoder' | 'raw' | 'linear';
  options?: Partial<TrainOptions>;
  /** Train on features of randomly mirrored images. */
  flipAugment?: boolean;
  /** Embed each image as the mean of its plain and mirrored embeddings. */
  tta?: boolean;
  /** Encoders per model (distances averaged). */
  ensemble?: number;
  linear?: { k: number; gamma: number };
}

export interface Fold {
  train: Int32Array;
  /** Triplets to score: class-consistent ones drawn from the fold's images (see makeFolds). */
  eval: Int32Array;
  /** Real train.txt triplets whose three images are all in the fold. */
  realEval: number;
}

const className = (set: AccuracySet, row: number): string => set.names[row].split('/')[0];

/**
 * k image-disjoint folds over the images of the train split. Each fold trains on the train triplets
 * with none of its images and is scored on `perFold` triplets (a, p same class, n another class)
 * drawn from its images: strictly disjoint folds leave only ~10 real triplets per fold whose three
 * images are all inside (reported as realEval), too few to rank anything. Classes come from the
 * images' folders (the sets' triplets are class-consistent: every A–P pair shares a class, no A–N).
 */
export function makeFolds(set: AccuracySet, k: number, perFold: number, seed: number): Fold[] {
  const rand = seededRandom(seed);
  const images = [...new Set(set.train)].sort((a, b) => a - b);
  shuffleInPlace(images, rand);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const held = new Set(images.filter((_, i) => i % k === f));
    const train: number[] = [];
    let realEval = 0;
    for (let t = 0; t < set.train.length; t += 3) {
      const inside = [0, 1, 2].filter((j) => held.has(set.train[t + j])).length;
      if (inside === 0) train.push(set.train[t], set.train[t + 1], set.train[t + 2]);
      if (inside === 3) realEval++;
    }
    const pool = [...held];
    const ev: number[] = [];
    while (ev.length < perFold * 3) {
      const [a, p, n] = [0, 0, 0].map(() => pool[Math.floor(rand() * pool.length)]);
      if (a !== p && className(set, a) === className(set, p) && className(set, a) !== className(set, n)) ev.push(a, p, n);
    }
    folds.push({ train: Int32Array.from(train), eval: Int32Array.from(ev), realEval });
  }
  return folds;
}

/** Fraction of triplets with d(a,p) < d(a,n), given per-image vectors (rows × e) and a distance. */
function accuracyOf(dist: (a: number, b: number) => number, triplets: Int32Array): number {
  let ok = 0;
  for (let t = 0; t < triplets.length; t += 3) if (dist(triplets[t], triplets[t + 1]) < dist(triplets[t], triplets[t + 2])) ok++;
  return ok / (triplets.length / 3);
}

function l2(v: Float32Array, e: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < e; i++) s += (v[a * e + i] - v[b * e + i]) ** 2;
  return Math.sqrt(s);
}

function normalizeRows(v: Float32Array, e: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < v.length / e; r++) {
    let s = 0;
    for (let i = 0; i < e; i++) s += v[r * e + i] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < e; i++) out[r * e + i] = v[r * e + i] * inv;
  }
  return out;
}

/** Embeddings of every image of the set with one encoder (TTA: mean of plain and mirrored, renormalised). */
export function embedSet(set: AccuracySet, weights: NamedWeight[], tta: boolean): Float32Array {
  const n = set.names.length;
  const plain = embedFeatures({ weights }, set.plain, n, set.dim);
  if (!tta) return plain;
  const flip = embedFeatures({ weights }, set.flipped, n, set.dim);
  const e = plain.length / n;
  return normalizeRows(plain.map((v, i) => v + flip[i]), e);
}

/** Distance function of an ensemble: the mean of its members' l2 distances. */
export function ensembleDistance(embeddings: Float32Array[], rows: number): (a: number, b: number) => number {
  const e = embeddings[0].length / rows;
  return (a, b) => embeddings.reduce((s, v) => s + l2(v, e, a, b), 0) / embeddings.length;
}

export interface RecipeScore {
  /** Accuracy on each of `evalSets`, after the final epoch (encoders: also per epoch). */
  accuracy: number[];
  perEpoch?: number[][];
  seconds: number;
}

/** Trains `recipe` on `train` (row triplets) with `seed` and scores each of `evalSets`. */
export async function runRecipe(set: AccuracySet, recipe: Recipe, train: Int32Array, evalSets: Int32Array[], seed: number, perEpoch = false): Promise<RecipeScore> {
  const t0 = performance.now();
  const n = set.names.length;
  if (recipe.kind === 'raw') {
    const d = ensembleDistance([normalizeRows(set.plain, set.dim)], n);
    return { accuracy: evalSets.map((t) => accuracyOf(d, t)), seconds: 0 };
  }
  if (recipe.kind === 'linear') {
    const map = fitLinearDiscriminant(normalizeRows(set.plain, set.dim), set.dim, train, recipe.linear!);
    const d = ensembleDistance([projectLinear(map, set.plain, n)], n);
    return { accuracy: evalSets.map((t) => accuracyOf(d, t)), seconds: (performance.now() - t0) / 1000 };
  }
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...recipe.options };
  const members = recipe.ensemble ?? 1;
  const finals: Float32Array[] = [];
  const epochEmb: Float32Array[][] = [];
  for (let m = 0; m < members; m++) {
    const r = await fitEncoder(
      { dim: set.dim, features: set.plain, flipped: recipe.flipAugment ? set.flipped : undefined, triplets: train, options: { ...options, seed: seed * 1000 + m } },
      { onEpochWeights: perEpoch ? (ep, read) => ((epochEmb[ep - 1] ??= []).push(embedSet(set, read(), !!recipe.tta))) : undefined },
    );
    finals.push(embedSet(set, r.weights, !!recipe.tta));
  }
  const d = ensembleDistance(finals, n);
  const score: RecipeScore = { accuracy: evalSets.map((t) => accuracyOf(d, t)), seconds: (performance.now() - t0) / 1000 };
  if (perEpoch) score.perEpoch = epochEmb.map((embs) => evalSets.map((t) => accuracyOf(ensembleDistance(embs, n), t)));
  return score;
}
