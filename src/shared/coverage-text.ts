// The words for how much of the library the labels already decide (LabelCoverage), shared by the
// CLI's `suggest` and the app's Suggest view so both say the same thing.
import type { LabelCoverage } from './types.js';

export interface CoverageText {
  summary: string;
  /** When the labels are saturated or early: what helps most now. */
  advice: string | null;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function coverageText(c: LabelCoverage): CoverageText {
  const groups = c.groups === 0 ? 'no group yet' : c.groups === 1 ? '1 group' : `${c.groups} groups`;
  // `images` counts only what suggestions may use: images in test triplets are left out.
  const pool = c.images === 1 ? 'the 1 image outside test triplets' : `the ${c.images} images outside test triplets`;
  const summary = `Your train triplets use ${c.inTriplets} of ${pool} and chain them into ${groups}; they decide ${pct(c.decidedPairs)} of image pairs (alike or different).`;
  const advice = c.saturated
    ? 'Training already sees nearly everything labels can tell it here, so more labels will change the model little: add new images, or fix what the audit flags.'
    : c.early
      ? 'With this few labels, triplets you make yourself teach the model more than suggestions: for each anchor take any image of its kind (not only the most similar one) and one of another kind. Once a model is trained, the triplet maker says which ones it still gets wrong.'
      : null;
  return { summary, advice };
}
