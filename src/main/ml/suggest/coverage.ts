// How much of the pool the labels already decide. Training draws implied triplets from the groups the
// train triplets chain images into (encoder/miners/groups.ts): a pair of images in one group is known
// alike, a pair across two groups kept apart is known different. When nearly every pair is decided
// and nearly every image is in a triplet, new labels can add little the model does not already see
// (measured, bench/suggest.ts --ceiling: on the shared sets 300 random lines of train.txt decide
// 80–93% of pairs and use 96–99% of the images; all 900 further lines then moved test accuracy by
// −0.007 ± 0.010 on flowers and +0.018 ± 0.014 on trash, 100 of them by −0.004 and +0.004), so the
// app says so rather than let the user label for little. With very few labels it says the opposite:
// triplets the user makes across each kind teach more than suggestions then (EARLY_PAIRS).
import type { LabelCoverage } from '../../../shared/types.js';
import type { Triplet } from '../encoder/distances.js';
import { groupImages, type ImageGroups } from '../encoder/miners/groups.js';

/** Share of pairs decided from which the labels are called saturated (with SATURATED_IN_TRIPLETS). */
export const SATURATED_PAIRS = 0.75;
/** Share of images in some train triplet from which the labels are called saturated. */
export const SATURATED_IN_TRIPLETS = 0.95;
/**
 * Share of pairs decided below which the labels are called early (set by judgment between measured
 * points): with 60 start lines (2–4% of pairs decided) 100 triplets made the way a curated list is (a
 * random image of the anchor's kind, a random one of another kind) taught the model 2.8–3.1× what 100
 * suggestions did on held-out train images (bench/suggest-tune.ts --start=60; test.txt, looked at
 * after, agreed: 2.4–3.4×), and even an oracle aiming at what labels decide stayed at 0.82–1.25× of
 * them (bench/suggest-probe-oracle.ts, validation). At 17–18% (300 lines over 11 kinds) results were
 * mixed: 1.83× for suggestions on validation, 0.51× on test.txt. Since suggestions explore first
 * (./explore.ts) the gap at 60 lines is smaller but remains: 1.7× (flowers) and 2.2× (trash) on
 * validation (bench/suggest-probe-hard.ts --start=60, seeds 1–5), so the advice stands.
 */
export const EARLY_PAIRS = 0.1;

/** What the train triplets decide about the pool's images (images of test triplets are not in the pool). */
export function labelCoverage(pool: readonly number[], train: readonly Triplet[], groups: ImageGroups = groupImages(Int32Array.from(train.flat()))): LabelCoverage {
  const inPool = new Set(pool);
  const used = new Set(train.flat().filter((id) => inPool.has(id)));
  // Sizes counted over pool images only (a train triplet may reach a test image: leakage).
  const sizes = groups.members.map((m) => m.filter((id) => inPool.has(id)).length);
  let decided = 0;
  sizes.forEach((s, g) => {
    decided += (s * (s - 1)) / 2;
    for (const h of groups.apart[g]) if (h > g) decided += s * sizes[h];
  });
  const n = inPool.size;
  const pairs = (n * (n - 1)) / 2;
  const decidedPairs = pairs > 0 ? decided / pairs : 0;
  const inTriplets = used.size;
  return {
    images: n,
    inTriplets,
    groups: sizes.filter((s) => s >= 2).length,
    decidedPairs,
    saturated: n >= 3 && decidedPairs >= SATURATED_PAIRS && inTriplets >= SATURATED_IN_TRIPLETS * n,
    early: n >= 3 && decidedPairs < EARLY_PAIRS,
  };
}
