// What the other labels say about a triplet, for the label audit. The training folds' triplets chain
// their images into groups (encoder/miners/groups.ts; a swapped line among many right ones does not
// merge two groups), so a held-out line can be checked against them: its positive should share the
// anchor's group, its negative should not. This catches swapped lines the fold encoder scores near
// zero, which happens when there are few lines per image (11 kinds over 440 images, 1,200 lines:
// recall@150 0.889 from the encoder's margin alone, 0.992 with the vote; bench/audit.ts --generated).
import { groupImages, type ImageGroups } from '../encoder/miners/groups.js';

/** Groups of the triplets' rows, with a lookup from row to group and whether two groups are kept apart. */
export interface GroupIndex {
  group(row: number): number | undefined;
  apart(g: number, h: number): boolean;
}

export function indexGroups(triplets: Int32Array, groups: ImageGroups = groupImages(triplets)): GroupIndex {
  const groupOf = new Map<number, number>();
  groups.members.forEach((m, g) => m.forEach((r) => groupOf.set(r, g)));
  const apart = groups.apart.map((a) => new Set(a));
  return { group: (r) => groupOf.get(r), apart: (g, h) => apart[g].has(h) };
}

/** +1 alike, −1 kept apart, 0 unknown (an image in no group, or two groups the labels never compared). */
function relation(ix: GroupIndex, x: number, y: number): number {
  const [g, h] = [ix.group(x), ix.group(y)];
  if (g === undefined || h === undefined) return 0;
  return g === h ? 1 : ix.apart(g, h) ? -1 : 0;
}

/**
 * The groups' vote on triplet (a, p, n), −1 … 1: +1 when they put the negative with the anchor and
 * keep the positive apart (the line looks swapped), −1 when they agree with it, 0 when they say nothing.
 */
export function groupVote(ix: GroupIndex, a: number, p: number, n: number): number {
  return (relation(ix, a, n) - relation(ix, a, p)) / 2;
}
