// The triplets of each training epoch: the user's own (the training ones, shuffled) plus, with
// options.derived > 0, a fresh draw of triplets implied by the groups their must-links form
// (./groups.ts), `derived` × as many as the user's. Fresh draws each epoch show the encoder many
// more of the implied triplets than one fixed sample would, at the same cost per epoch. Default 1
// (chosen by cross-validation: ../../defaults.ts).
import { shuffleInPlace } from '../rng.js';
import { distinctImages } from '../schedule.js';
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
  /** The user's triplets of this epoch (indices into the planner's `triplets`), before any derived ones. */
  own: Int32Array;
  /** The SQLite source only: each of `own`'s triplets as its index in the source (rowid − 1). */
  ids?: Int32Array;
}

/**
 * Triplets per training image the groups are formed from, at most: a larger set's groups come from
 * a seeded sample of its training triplets, so their memory and time follow the images, not the
 * triplet count. Never fewer than MIN_GROUP_TRIPLETS, so the shared sets (1,200 triplets) and any set
 * of that size use every triplet, exactly as before. Measured on 1,000,000 synthetic triplets over
 * 20,000 images in 50 classes (2 cores under load): all triplets 32.7 s and ~390 MB; a sample of 8 per
 * image 3.9 s, the same 50 groups; with 10% swapped labels, all 49.2 s (contradiction 0.100), 8 per
 * image 9.6 s (48 groups, contradiction 0.106, 99.75% pair agreement with the full grouping), while
 * 4 per image fell apart (134 groups, contradiction 0.188: over the 0.15 guard, no implied triplets).
 */
export const GROUP_TRIPLETS_PER_IMAGE = 8;
export const MIN_GROUP_TRIPLETS = 24_000;

/** How many training triplets form the groups: all of them up to max(MIN_GROUP_TRIPLETS, GROUP_TRIPLETS_PER_IMAGE × images). */
export function groupSampleSize(trainCount: number, images: number): number {
  return Math.min(trainCount, Math.max(MIN_GROUP_TRIPLETS, GROUP_TRIPLETS_PER_IMAGE * images));
}

/** `size` of `trainIdx` drawn without replacement (partial Fisher–Yates on a copy), in ascending order. */
function sampleOf(trainIdx: Int32Array, size: number, rand: () => number): Int32Array {
  if (size >= trainIdx.length) return trainIdx;
  const pool = trainIdx.slice();
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rand() * (pool.length - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, size).sort();
}

/**
 * Groups formed by the training triplets only (so validation images never shape them); null when
 * they contradict more than MAX_CONTRADICTION of those triplets. A large set forms them from a
 * sample of its training triplets (groupSampleSize, drawn with `rand`; the contradiction rate is
 * then the sample's); a set within the cap uses all of them and draws nothing.
 */
export function trainingGroups(triplets: Int32Array, trainIdx: Int32Array, rand?: () => number): ImageGroups | null {
  const size = rand ? groupSampleSize(trainIdx.length, distinctImages(triplets, trainIdx)) : trainIdx.length;
  const which = rand ? sampleOf(trainIdx, size, rand) : trainIdx;
  const own = new Int32Array(which.length * 3);
  which.forEach((t, i) => own.set(triplets.subarray(3 * t, 3 * t + 3), 3 * i));
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
  // Groups of a large set come from a sample drawn with deriveRand (a set within the cap draws nothing there).
  const groups = derived > 0 ? trainingGroups(triplets, trainIdx, deriveRand) : null;
  return (rand) => {
    const base = sample ? sample() : trainIdx;
    const extra = groups ? deriveTriplets(groups, Math.round(derived * base.length), deriveRand) : new Int32Array(0);
    if (extra.length === 0) {
      if (!sample) shuffleInPlace(trainIdx, rand);
      return { triplets, order: base, own: base };
    }
    const all = new Int32Array(3 * base.length + extra.length);
    base.forEach((t, i) => all.set(triplets.subarray(3 * t, 3 * t + 3), 3 * i));
    all.set(extra, 3 * base.length);
    const order = Int32Array.from({ length: all.length / 3 }, (_, i) => i);
    shuffleInPlace(order, rand);
    return { triplets: all, order, own: base };
  };
}
