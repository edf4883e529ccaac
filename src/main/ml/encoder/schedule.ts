// What an epoch is. A small set (the shared sets: 1,200 triplets over 200–300 images) trains on every
// triplet each epoch, exactly as before. A large set whose triplets repeat its images many times
// carries little more information per triplet: an epoch there is TRIPLETS_PER_IMAGE triplets per
// training image but at least MIN_EPOCH_TRIPLETS, drawn without replacement from a running shuffle
// of all triplets, so training time follows the images, not the triplet count (1,000,000 triplets
// over 20,000 images: 24 epochs of 20,000). `stepsPerEpoch` overrides the rule (0: always full passes).
import type { TrainOptions } from '../../../shared/types.js';
import { shuffleInPlace } from './rng.js';

/**
 * Triplets per training image in one epoch of a large set: set by the time budget (1,000,000
 * triplets over 20,000 images, default run ≈ 7 CPU-minutes), NOT yet validated for accuracy. On a
 * harder synthetic set (bench/scale.ts rule: 4,800 triplets over 1,200 images, seeds 1–2) capped
 * epochs of 2,400 scored 0.708 ± 0.025 vs 0.751 ± 0.001 for full epochs: under-trained there.
 */
export const TRIPLETS_PER_IMAGE = 1;

/** The smallest capped epoch: twice the shared sets' 1,200 triplets, so sets of that size keep full epochs. */
export const MIN_EPOCH_TRIPLETS = 2400;

export interface EpochPlan {
  /** Triplets trained on per epoch. */
  perEpoch: number;
  /** Batches (steps) per epoch. */
  batches: number;
  /** True when an epoch is every training triplet (the old definition). */
  full: boolean;
}

/** Distinct feature rows used by the given triplets (row indices, [a, p, n, …]). */
export function distinctImages(triplets: Int32Array, which: Int32Array): number {
  let max = 0;
  for (let i = 0; i < triplets.length; i++) if (triplets[i] > max) max = triplets[i];
  const seen = new Uint8Array(max + 1);
  let n = 0;
  for (const t of which) {
    for (let k = 0; k < 3; k++) {
      const r = triplets[3 * t + k];
      if (!seen[r]) (seen[r] = 1), n++;
    }
  }
  return n;
}

/** The epoch of a run: from stepsPerEpoch when given, else max(MIN_EPOCH_TRIPLETS, TRIPLETS_PER_IMAGE × images), full when that covers every triplet. */
export function epochPlan(trainCount: number, images: number, opts: Pick<TrainOptions, 'batchSize' | 'stepsPerEpoch'>): EpochPlan {
  const fullPlan = { perEpoch: trainCount, batches: Math.ceil(trainCount / opts.batchSize), full: true };
  const steps = opts.stepsPerEpoch;
  if (steps === 0) return fullPlan;
  const perEpoch = steps !== undefined ? steps * opts.batchSize : Math.max(MIN_EPOCH_TRIPLETS, TRIPLETS_PER_IMAGE * images);
  if (perEpoch >= trainCount) return fullPlan;
  return { perEpoch, batches: Math.ceil(perEpoch / opts.batchSize), full: false };
}

/**
 * The triplets of each epoch. Full epochs reshuffle all triplets in place (the old behaviour, same
 * random draws); capped epochs take the next `perEpoch` of a running shuffle and reshuffle when it
 * runs out, so every triplet is used once before any is used twice.
 */
export function epochSampler(trainIdx: Int32Array, plan: EpochPlan, rand: () => number): () => Int32Array {
  if (plan.full) {
    return () => {
      shuffleInPlace(trainIdx, rand);
      return trainIdx;
    };
  }
  let cursor = trainIdx.length;
  return () => {
    const out = new Int32Array(plan.perEpoch);
    for (let filled = 0; filled < out.length; ) {
      if (cursor >= trainIdx.length) (shuffleInPlace(trainIdx, rand), (cursor = 0));
      const take = Math.min(out.length - filled, trainIdx.length - cursor);
      out.set(trainIdx.subarray(cursor, cursor + take), filled);
      filled += take;
      cursor += take;
    }
    return out;
  };
}
