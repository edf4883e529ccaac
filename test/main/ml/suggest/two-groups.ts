// The small labelled set the suggestion tests share: two groups {1,2,3} and {4,5,6} kept apart;
// 7 is only ever a negative (of {1,2,3}); 9 is in no triplet.
import type { Triplet } from '../../../../src/main/ml/encoder/distances.js';

export const TWO_GROUPS: readonly Triplet[] = [
  [1, 2, 4],
  [2, 3, 5],
  [4, 5, 1],
  [5, 6, 2],
  [3, 1, 7],
];
