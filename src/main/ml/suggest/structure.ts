// What a label adds under implied-triplet training (encoder/miners/): the train triplets chain their
// images into groups (positives join, negatives keep apart, evidence weighed exactly as training
// does), and training draws triplets implied by those groups. A new label is worth the implied
// triplets it creates: a positive that joins two groups (or ties an image in no group to one)
// implies a pair per member of each times every image kept apart; a negative between groups not yet
// apart implies every pair of each group against the other. Inside one group, or between groups
// already apart, a label implies nothing new. Values are shares of the triplets implied now.
import type { Triplet } from '../encoder/distances.js';
import { groupImages, groupIndex, relationOf, type ImageGroups } from '../encoder/miners/groups.js';
import type { Evidence } from './evidence.js';

export interface Structure extends Evidence {
  /** New implied triplets, as a share of those implied now, if i and j were labelled alike. */
  alikeGain(i: number, j: number): number;
  /** The same if i and j were labelled different. */
  apartGain(i: number, j: number): number;
}

/** Groups of the train triplets' images, as training forms them (or as given), with what a new label would add. */
export function structureOf(train: readonly Triplet[], groups: ImageGroups = groupImages(Int32Array.from(train.flat()))): Structure {
  const ix = groupIndex(groups);
  const size = (g: number | undefined): number => (g === undefined ? 1 : groups.members[g].length);
  // Images kept apart from each group (the negatives its pairs can take).
  const apartCount = groups.apart.map((a) => a.reduce((s, h) => s + groups.members[h].length, 0));
  const apartOf = (g: number | undefined): number => (g === undefined ? 0 : apartCount[g]);
  const implied = groups.members.reduce((s, m, g) => s + m.length * (m.length - 1) * apartCount[g], 0);
  // Before any implied triplet exists, count triplets instead of shares.
  const scale = implied > 0 ? 1 / implied : 1;
  const uses = new Map<number, number>();
  for (const t of train) for (const x of t) uses.set(x, (uses.get(x) ?? 0) + 1);
  return {
    known: (i, j) => relationOf(ix, i, j),
    uses: (id) => uses.get(id) ?? 0,
    alikeGain(i, j) {
      // Already known alike or apart: nothing new.
      if (relationOf(ix, i, j) !== null) return 0;
      const [gi, gj] = [ix.group(i), ix.group(j)];
      // Each new alike pair takes every negative kept apart from either group (about the union).
      return 2 * size(gi) * size(gj) * Math.max(apartOf(gi), apartOf(gj)) * scale;
    },
    apartGain(i, j) {
      if (relationOf(ix, i, j) !== null) return 0;
      const [gi, gj] = [ix.group(i), ix.group(j)];
      const [a, b] = [size(gi), size(gj)];
      return (a * (a - 1) * b + b * (b - 1) * a) * scale;
    },
  };
}
