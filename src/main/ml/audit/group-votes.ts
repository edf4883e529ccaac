// What the other labels say about a triplet, for the label audit. The training folds' triplets chain
// their images into groups (encoder/miners/groups.ts; a swapped line among many right ones does not
// merge two groups), so a held-out line can be checked against them: its positive should share the
// anchor's group, its negative should not. This catches swapped lines the fold encoder scores near
// zero, which happens when there are few lines per image (11 kinds over 440 images, 1,200 lines:
// recall@150 0.889 from the encoder's margin alone, 0.992 with the vote; bench/audit.ts --generated).
import { groupImages, groupIndex, relationOf, type GroupIndex } from '../encoder/miners/groups.js';

/** The groups the triplets ([a0, p0, n0, …] rows) chain their images into, ready for lookups. */
export function indexGroups(triplets: Int32Array): GroupIndex {
  return groupIndex(groupImages(triplets));
}

/** +1 alike, −1 kept apart, 0 unknown (an image in no group, or two groups the labels never compared). */
function relation(ix: GroupIndex, x: number, y: number): number {
  const r = relationOf(ix, x, y);
  return r === null ? 0 : r === 1 ? 1 : -1;
}

/**
 * The groups' vote on triplet (a, p, n), −1 … 1: +1 when they put the negative with the anchor and
 * keep the positive apart (the line looks swapped), −1 when they agree with it, 0 when they say nothing.
 */
export function groupVote(ix: GroupIndex, a: number, p: number, n: number): number {
  return (relation(ix, a, n) - relation(ix, a, p)) / 2;
}
