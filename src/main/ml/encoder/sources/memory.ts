// The in-memory source: every triplet as packed row indices (today's path, unchanged): the hold-out,
// the epoch plan and the planner are the same calls, in the same order, with the same random draws
// as before, so a small set trains bit for bit as it did.
import type { TrainOptions } from '../../../../shared/types.js';
import { splitByImages } from '../holdout.js';
import { epochPlanner } from '../miners/epochs.js';
import { seededRandom } from '../rng.js';
import { distinctImages, epochPlan, epochSampler } from '../schedule.js';
import type { SourceSplit } from './source.js';

export function memorySplit(triplets: Int32Array, opts: TrainOptions, rand: () => number): SourceSplit {
  const split = splitByImages(triplets, opts.validationSplit, rand);
  const trainIdx = split.train;
  // Without a hold-out, "validation" metrics are measured on the training triplets (no dropout)
  // and the last epoch is kept: the epoch count is then the choice (see ../../defaults.ts).
  const validating = split.val.length > 0;
  return {
    kind: 'memory',
    trainCount: trainIdx.length,
    valCount: split.val.length,
    unused: split.unused,
    heldImages: split.heldImages,
    validating,
    planner(initSeed) {
      const plan = epochPlan(trainIdx.length, distinctImages(triplets, trainIdx), opts);
      // Capped epochs (large sets) sample the user's triplets; full epochs shuffle them all (the old behaviour).
      const sample = plan.full ? undefined : epochSampler(trainIdx, plan, rand);
      const planEpoch = epochPlanner(triplets, trainIdx, opts.derived ?? 0, seededRandom(initSeed ^ 0x2545f491), sample);
      return { plan, planEpoch, evalTriplets: triplets, evalIdx: validating ? split.val : trainIdx };
    },
    close: () => undefined,
  };
}
