// What an epoch is. A small set (the shared sets: 1,200 triplets over 200–300 images) trains on every
// triplet each epoch, exactly as before. A large set whose triplets repeat its images many times
// carries little more information per triplet: an epoch there is TRIPLETS_PER_IMAGE triplets per
// training image but at least MIN_EPOCH_TRIPLETS, drawn without replacement from a running shuffle
// of all triplets, so training time follows the images, not the triplet count (1,000,000 triplets
// over 20,000 images: 24 epochs of 80,000). `stepsPerEpoch` overrides the rule (0: always full passes).
import type { TrainOptions } from '../../../shared/types.js';
import { shuffleInPlace } from './rng.js';

/**
 * Triplets per training image in one epoch of a large set, chosen by validation: ensemble 1, 24
 * epochs, seeds 1–3, test accuracy mean ± sd (labeller: 6,000 triplets drawn from the train images'
 * classes, scored on test.txt, bench/epochs-real.ts; synthetic: `npm run bench -- scale rule`):
 *   set (triplets / images)               capped epoch    per image   capped          full epochs
 *   synthetic, hard: 4,800 / 1,200        2,400           2           0.708 ± 0.025   0.751 ± 0.001  (seeds 1–2)
 *   synthetic, hard: 6,000 / 600          2,400           4           0.682 ± 0.009   0.676 ± 0.015
 *   synthetic, hard: 12,000 / 600         2,400           4           0.697 ± 0.006   0.645 ± 0.001  (full over-fits)
 *   flowers, labeller: 6,000 / 200        2,400           12          0.926 ± 0.003   0.931 ± 0.005
 *   trash, labeller: 6,000 / 240          2,400           10          0.828 ± 0.018   0.830 ± 0.011
 * Two triplets per image per epoch under-train; four match full epochs within one sd (or beat them). The cost:
 * 1,000,000 triplets over 20,000 images train 80,000 triplets per epoch, 4× the time of 1 per image.
 */
export const TRIPLETS_PER_IMAGE = 4;

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
