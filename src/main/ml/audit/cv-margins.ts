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

/** d(A,P) − d(A,N) (l2 on the unit embeddings) of triplet t, added to out[t]. */
function addMargin(emb: Float32Array, e: number, triplets: Int32Array, t: number, out: Float64Array): void {
  const a = triplets[3 * t] * e;
  const p = triplets[3 * t + 1] * e;
  const n = triplets[3 * t + 2] * e;
  let dp = 0;
  let dn = 0;
  for (let j = 0; j < e; j++) {
    dp += (emb[a + j] - emb[p + j]) ** 2;
    dn += (emb[a + j] - emb[n + j]) ** 2;
  }
  out[t] += Math.sqrt(dp) - Math.sqrt(dn);
}

/**
 * Mean held-out margin of every triplet over the repeats (higher = more likely mislabelled). With one
 * fold, or fewer than two triplets, there is nothing to hold out: every margin is 0.
 */
export async function cvMargins(input: CvMarginsInput, onProgress?: (p: CvProgress) => void): Promise<Float64Array> {
  const count = input.triplets.length / 3;
  const out = new Float64Array(count);
  const folds = Math.min(input.folds, count);
  if (folds < 2) return out;
  const rows = input.features.length / input.dim;
  const total = folds * input.repeats;
  let done = 0;
  for (let r = 0; r < input.repeats; r++) {
    const fold = foldsOf(count, folds, input.seed + 7919 * r);
    for (let f = 0; f < folds; f++) {
      const held: number[] = [];
      const train: number[] = [];
      for (let t = 0; t < count; t++) (fold[t] === f ? held : train).push(t);
      const options: TrainOptions = { ...input.options, seed: (input.seed * 1_000_003 + r * 1009 + f) % 2 ** 31, validationSplit: 0, refit: false };
      const trainTriplets = pick(input.triplets, train);
      const fit = await fitEncoder(
        { dim: input.dim, features: input.features, triplets: trainTriplets, options },
        { onProgress: (p) => onProgress?.({ done, total, epoch: p.epoch - 1 + p.batch / p.batches }) },
      );
      const emb = embedFeatures(fit, input.features, rows, input.dim);
      const e = emb.length / rows;
      for (const t of held) addMargin(emb, e, input.triplets, t, out);
      const w = input.groupWeight ?? 0;
      if (w !== 0) {
        const ix = indexGroups(trainTriplets);
        for (const t of held) out[t] += w * groupVote(ix, input.triplets[3 * t], input.triplets[3 * t + 1], input.triplets[3 * t + 2]);
      }
      onProgress?.({ done: ++done, total, epoch: 0 });
    }
  }
  for (let t = 0; t < count; t++) out[t] /= input.repeats;
  return out;
}
