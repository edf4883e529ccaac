// The triplets of each training epoch: the user's own (the training ones, shuffled) plus, with
// options.derived > 0, a fresh draw of triplets implied by the groups their must-links form
// (./groups.ts), `derived` × as many as the user's. Fresh draws each epoch show the encoder many
// more of the implied triplets than one fixed sample would, at the same cost per epoch. Default 1
// (chosen by cross-validation: ../../defaults.ts).
import { shuffleInPlace } from '../rng.js';
import { contradiction, deriveTriplets, groupImages, type ImageGroups } from './groups.js';

/**
 * Groups that contradict more of the training triplets than this are not trusted (no derived
 * triplets): with many swapped labels, early merges can join kinds, and the implied triplets would
 * then teach wrong pairs. A heuristic guard: see contradiction() for the measured rates.
 */
export const MAX_CONTRADICTION = 0.15;

export interface EpochTriplets {
  /** Triplet rows [a0, p0, n0, …] the order indexes into. */
  triplets: Int32Array;
  /** Triplet indices of this epoch, in training order. */
  order: Int32Array;
}

/**
 * Groups formed by the training triplets only (so validation images never shape them); null when
 * they contradict more than MAX_CONTRADICTION of those triplets.
 */
export function trainingGroups(triplets: Int32Array, trainIdx: Int32Array): ImageGroups | null {
  const own = new Int32Array(trainIdx.length * 3);
  trainIdx.forEach((t, i) => own.set(triplets.subarray(3 * t, 3 * t + 3), 3 * i));
  const groups = groupImages(own);
  return contradiction(groups, own) <= MAX_CONTRADICTION ? groups : null;
}

/**
 * Planner of the epochs' triplets. Without derived triplets it shuffles `trainIdx` in place over
 * `triplets` (exactly what training always did, so old seeds give the same models); with them,
 * each call appends a fresh draw of derived triplets (from `deriveRand`) and shuffles the lot.
 * `sample` (capped epochs of large sets, ../schedule.ts) picks the user's triplets of each epoch
 * instead of all of them; derived triplets are then `derived` × as many as it picks.
 */
export function epochPlanner(
  triplets: Int32Array,
  trainIdx: Int32Array,
  derived: number,
  deriveRand: () => number,
  sample?: () => Int32Array,
): (rand: () => number) => EpochTriplets {
  const groups = derived > 0 ? trainingGroups(triplets, trainIdx) : null;
  return (rand) => {
    const base = sample ? sample() : trainIdx;
    const extra = groups ? deriveTriplets(groups, Math.round(derived * base.length), deriveRand) : new Int32Array(0);
    if (extra.length === 0) {
      if (!sample) shuffleInPlace(trainIdx, rand);
      return { triplets, order: base };
    }
    const all = new Int32Array(3 * base.length + extra.length);
    base.forEach((t, i) => all.set(triplets.subarray(3 * t, 3 * t + 3), 3 * i));
    all.set(extra, 3 * base.length);
    const order = Int32Array.from({ length: all.length / 3 }, (_, i) => i);
    shuffleInPlace(order, rand);
    return { triplets: all, order };
  };
}
