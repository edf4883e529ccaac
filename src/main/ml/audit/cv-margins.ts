// Cross-validated margins for the label audit: each train triplet is scored by encoders that never
// trained on it. The triplets are split into K folds (by triplet: a held-out triplet may share images
// with training triplets — we look for wrong labels, not for generalisation to new photos); for each
// fold one encoder trains on the other folds and scores the fold's triplets by d(A,P) − d(A,N).
// `repeats` independent fold splits (own seeds) are averaged, so one unlucky split or initialisation
// does not decide a triplet's rank. The other folds' groups also vote on each held-out triplet
// (./group-votes.ts). Runs in the audit worker; the benchmark calls it directly.
import type { TrainOptions } from '../../../shared/types.js';
import { fitEncoder } from '../encoder/fit.js';
import { embedFeatures } from '../encoder/model.js';
import { seededRandom, shuffleInPlace } from '../encoder/rng.js';
import { groupVote, indexGroups } from './group-votes.js';

export interface CvMarginsInput {
  dim: number;
  /** rows × dim backbone features. */
  features: Float32Array;
  /** [a0, p0, n0, a1, …] row indices into `features`. */
  triplets: Int32Array;
  folds: number;
  repeats: number;
  seed: number;
  /** Encoder options of each fold model (epochs, margin, …); seed and validation are set here. */
  options: TrainOptions;
  /**
   * Weight of the training folds' groups' vote on each held-out triplet (./group-votes.ts, −1 … 1),
   * added to its margin; 0 = the encoder's margin alone.
   */
  groupWeight?: number;
}

export interface CvProgress {
  /** Fold models trained so far, of folds × repeats. */
  done: number;
  total: number;
  /** Epochs of the current model done, of options.epochs. */
  epoch: number;
}

/** Fold of each triplet for one repeat: a seeded shuffle dealt round-robin, so folds differ in size by at most one. */
export function foldsOf(count: number, folds: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffleInPlace(order, seededRandom(seed));
  const fold = new Int32Array(count);
  order.forEach((t, k) => (fold[t] = k % folds));
  return fold;
}

/** The triplets (row triples) at the given positions, packed. */
function pick(triplets: Int32Array, which: number[]): Int32Array {
  const out = new Int32Array(which.length * 3);
  which.forEach((t, k) => out.set(triplets.subarray(3 * t, 3 * t + 3), 3 * k));
  return out;
}

/** d(A,P) − d(A,N) (l2 on the unit embeddings) of triplet t. */
function margin(emb: Float32Array, e: number, triplets: Int32Array, t: number): number {
  const a = triplets[3 * t] * e;
  const p = triplets[3 * t + 1] * e;
  const n = triplets[3 * t + 2] * e;
  let dp = 0;
  let dn = 0;
  for (let j = 0; j < e; j++) {
    dp += (emb[a + j] - emb[p + j]) ** 2;
    dn += (emb[a + j] - emb[n + j]) ** 2;
  }
  return Math.sqrt(dp) - Math.sqrt(dn);
}

/** One fold model of one repeat: trained on the other folds, it scores this fold's triplets. */
export interface FoldJob {
  repeat: number;
  fold: number;
}

/** What one fold model says of its held-out triplets (positions into the input's triplets). */
export interface FoldScores extends FoldJob {
  held: Int32Array;
  margins: Float64Array;
  /** The training folds' groups' vote on each held-out triplet (unweighted; empty when groupWeight is 0). */
  votes: Float64Array;
}

/** Every fold model to train, repeat by repeat; none with one fold or fewer than two triplets. */
export function foldJobs(input: Pick<CvMarginsInput, 'triplets' | 'folds' | 'repeats'>): FoldJob[] {
  const folds = Math.min(input.folds, input.triplets.length / 3);
  if (folds < 2) return [];
  return Array.from({ length: input.repeats * folds }, (_, k) => ({ repeat: Math.floor(k / folds), fold: k % folds }));
}

/**
 * Trains one fold model and scores its held-out triplets. Its seeds come from (seed, repeat, fold)
 * alone, so a fold scores the same in any worker and in any order.
 */
export async function scoreFold(input: CvMarginsInput, job: FoldJob, onEpoch?: (epoch: number) => void): Promise<FoldScores> {
  const count = input.triplets.length / 3;
  const folds = Math.min(input.folds, count);
  const rows = input.features.length / input.dim;
  const fold = foldsOf(count, folds, input.seed + 7919 * job.repeat);
  const held: number[] = [];
  const train: number[] = [];
  for (let t = 0; t < count; t++) (fold[t] === job.fold ? held : train).push(t);
  const options: TrainOptions = { ...input.options, seed: (input.seed * 1_000_003 + job.repeat * 1009 + job.fold) % 2 ** 31, validationSplit: 0, refit: false };
  const trainTriplets = pick(input.triplets, train);
  const fit = await fitEncoder(
    { dim: input.dim, features: input.features, triplets: trainTriplets, options },
    { onProgress: (p) => onEpoch?.(p.epoch - 1 + p.batch / p.batches) },
  );
  const emb = embedFeatures(fit, input.features, rows, input.dim);
  const e = emb.length / rows;
  const margins = Float64Array.from(held, (t) => margin(emb, e, input.triplets, t));
  let votes = new Float64Array(0);
  if ((input.groupWeight ?? 0) !== 0) {
    const ix = indexGroups(trainTriplets);
    votes = Float64Array.from(held, (t) => groupVote(ix, input.triplets[3 * t], input.triplets[3 * t + 1], input.triplets[3 * t + 2]));
  }
  return { ...job, held: Int32Array.from(held), margins, votes };
}

/** Scores the given fold models one after another (in a worker), reporting progress over them. */
export async function scoreFolds(input: CvMarginsInput, jobs: FoldJob[], onProgress?: (p: CvProgress) => void): Promise<FoldScores[]> {
  const out: FoldScores[] = [];
  for (const job of jobs) {
    const done = out.length;
    out.push(await scoreFold(input, job, (epoch) => onProgress?.({ done, total: jobs.length, epoch })));
    onProgress?.({ done: out.length, total: jobs.length, epoch: 0 });
  }
  return out;
}

/**
 * Mean held-out margin of every triplet over the repeats, from every fold's scores. Summed in
 * (repeat, fold) order whichever worker scored what, so the result is the same to the bit.
 */
export function combineFolds(count: number, repeats: number, groupWeight: number, scores: FoldScores[]): Float64Array {
  const out = new Float64Array(count);
  const ordered = [...scores].sort((a, b) => a.repeat - b.repeat || a.fold - b.fold);
  for (const s of ordered) {
    s.held.forEach((t, i) => (out[t] += s.margins[i]));
    if (groupWeight !== 0) s.held.forEach((t, i) => (out[t] += groupWeight * s.votes[i]));
  }
  if (ordered.length) for (let t = 0; t < count; t++) out[t] /= repeats;
  return out;
}

/**
 * Mean held-out margin of every triplet over the repeats (higher = more likely mislabelled). With one
 * fold, or fewer than two triplets, there is nothing to hold out: every margin is 0. One fold model
 * after another in this thread; the app spreads them over workers (score.ts).
 */
export async function cvMargins(input: CvMarginsInput, onProgress?: (p: CvProgress) => void): Promise<Float64Array> {
  const scores = await scoreFolds(input, foldJobs(input), onProgress);
  return combineFolds(input.triplets.length / 3, input.repeats, input.groupWeight ?? 0, scores);
}
