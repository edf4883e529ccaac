// What a label adds under implied-triplet training: the groups are formed as training forms them,
// a label inside a group or between groups already apart adds nothing, one that ties a loose image
// to a group or keeps two groups apart adds implied triplets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Triplet } from '../../../../src/main/ml/encoder/distances.js';
import { structureOf } from '../../../../src/main/ml/suggest/structure.js';
import { TWO_GROUPS } from './two-groups.js';

const train = TWO_GROUPS;

test('structure: known relations follow the groups training forms', () => {
  const s = structureOf(train);
  assert.equal(s.known(1, 3), 1);
  assert.equal(s.known(3, 6), 0);
  assert.equal(s.known(1, 9), null);
  assert.equal(s.uses(1), 3);
});

test('structure: only labels that join groups or keep new ones apart add implied triplets', () => {
  const s = structureOf(train);
  assert.equal(s.alikeGain(1, 3), 0, 'inside a group');
  assert.equal(s.apartGain(1, 5), 0, 'groups already apart');
  assert.equal(s.alikeGain(1, 5), 0, 'groups kept apart are not proposed as alike');
  assert.ok(s.alikeGain(9, 1) > 0, 'an image in no triplet tied to a group');
  assert.ok(s.apartGain(9, 1) > 0);
  // Tying an image to a group adds more than keeping it apart from that group (pairs × negatives).
  assert.ok(s.alikeGain(9, 1) > s.apartGain(9, 1));
});

test('structure: a swapped label between groups held apart does not merge them', () => {
  // Three labels keep {1,2,3} and {4,5,6} apart; one swapped triplet links 3 with 4.
  const s = structureOf([...train, [3, 4, 1]]);
  assert.equal(s.known(3, 4), 0);
});
