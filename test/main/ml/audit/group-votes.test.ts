import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupVote, indexGroups } from '../../../../src/main/ml/audit/group-votes.js';
import { TWO_GROUPS } from '../suggest/two-groups.js';

const ix = indexGroups(Int32Array.from(TWO_GROUPS.flat()));

test('a line the groups agree with votes −1, its swap +1', () => {
  assert.equal(groupVote(ix, 1, 3, 5), -1);
  assert.equal(groupVote(ix, 1, 5, 3), 1);
});

test('what the groups do not know counts for nothing', () => {
  // 9 is in no triplet: only the known half of the line counts.
  assert.equal(groupVote(ix, 1, 2, 9), -0.5);
  assert.equal(groupVote(ix, 1, 9, 2), 0.5);
  assert.equal(groupVote(ix, 9, 1, 4), 0);
});

test('one swapped line among right ones does not move the groups', () => {
  // Two kinds, {1,2,3} and {4,5,6}, each pair linked twice; then [4, 1, 5] says 4 is like 1 and unlike 5.
  const right = [1, 2, 3].flatMap((a) => [1, 2, 3].filter((p) => p !== a).map((p) => [a, p, a + 3, a + 3, p + 3, a]));
  const noisy = indexGroups(Int32Array.from([...right.flat(), 4, 1, 5]));
  assert.equal(groupVote(noisy, 4, 1, 5), 1);
  assert.equal(groupVote(noisy, 4, 6, 2), -1);
});
