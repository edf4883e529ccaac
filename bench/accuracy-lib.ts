// Scoring for the accuracy bench: image-disjoint cross-validation folds over a set's train split,
// and the embeddings of every image under each recipe (encoder variants, linear reference, raw).
import type { TrainOptions } from '../src/shared/types.js';
import { embedFeatures, type NamedWeight } from '../src/main/ml/encoder/model.js';
import { type FitInput, fitEncoder } from '../src/main/ml/encoder/fit.js';
import { seededRandom, shuffleInPlace } from '../src/main/ml/encoder/rng.js';
import type { AccuracySet } from './accuracy-data.js';
import { fitLinearDiscriminant, projectLinear } from './accuracy-linear.js';

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

/** Fraction of `triplets` (rows) ranked right by unit embeddings (rows × e) under l2. */
export function embeddingAccuracy(emb: Float32Array, rows: number, triplets: Int32Array): number {
  return accuracyOf(ensembleDistance([emb], rows), triplets);
}

/** Raw-feature baseline: l2 on L2-normalised backbone features. */
export function rawEmbedding(set: AccuracySet): Float32Array {
  return normalizeRows(set.plain, set.dim);
}

/** The linear reference's projection of every image of the set, fitted on `train`. */
export function linearEmbedding(set: AccuracySet, train: Int32Array, opts: { k: number; gamma: number }): Float32Array {
  const map = fitLinearDiscriminant(normalizeRows(set.plain, set.dim), set.dim, train, opts);
  return projectLinear(map, set.plain, set.names.length);
}

/**
 * Trains one encoder (or ensemble, per options) on `train` and returns the embeddings of every
 * image for each scoring variant: the model as trained, its first member alone, test-time flip
 * averaging, and the model after `atEpochs` epochs.
 */
export async function encoderEmbeddings(
  set: AccuracySet,
  train: Int32Array,
  options: TrainOptions,
  opts: { flipAugment?: boolean; atEpochs?: number[]; engine?: FitInput['engine'] } = {},
): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  const r = await fitEncoder(
    { dim: set.dim, features: set.plain, flipped: opts.flipAugment ? set.flipped : undefined, triplets: train, options, engine: opts.engine },
    { onEpochWeights: (ep, read) => { if (opts.atEpochs?.includes(ep)) out[`@${ep}`] = embedSet(set, read(), false); } },
  );
  out.model = embedSet(set, r.weights, false);
  out.member1 = embedSet(set, r.weights.slice(0, 4), false);
  out.tta = embedSet(set, r.weights, true);
  return out;
}
