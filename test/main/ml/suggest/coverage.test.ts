// How much of the pool the labels decide: pairs inside a group (alike) and across groups kept apart
// (different), over pairs of pool images; saturated only when nearly all are decided and used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Triplet } from '../../../../src/main/ml/encoder/distances.js';
import { labelCoverage } from '../../../../src/main/ml/suggest/coverage.js';
import { coverageText } from '../../../../src/shared/coverage-text.js';
import { TWO_GROUPS } from './two-groups.js';

const train = TWO_GROUPS;

test('coverage: decided pairs are those inside a group or across groups kept apart', () => {
  const c = labelCoverage([1, 2, 3, 4, 5, 6, 7, 9], train);
  // 3 + 3 inside the groups, 3 × 3 across them, 3 × 1 between {1,2,3} and 7: 18 of 28 pairs.
  assert.equal(c.images, 8);
  assert.equal(c.inTriplets, 7);
  assert.equal(c.groups, 2);
  assert.ok(Math.abs(c.decidedPairs - 18 / 28) < 1e-12, String(c.decidedPairs));
  assert.equal(c.saturated, false);
});

test('coverage: images outside the pool (test images) are not counted', () => {
  const c = labelCoverage([1, 2, 4, 5], train);
  // {1,2} and {4,5} within the pool: 1 + 1 inside, 2 × 2 across: 6 of 6.
  assert.equal(c.images, 4);
  assert.equal(c.decidedPairs, 1);
  assert.equal(c.saturated, true);
});

test('coverage: every pair decided but an image in no triplet is not saturated', () => {
  const whole: Triplet[] = [
    [1, 2, 5],
    [2, 3, 6],
    [3, 4, 7],
    [5, 6, 1],
    [6, 7, 2],
    [7, 8, 3],
  ];
  assert.equal(labelCoverage([1, 2, 3, 4, 5, 6, 7, 8], whole).saturated, true);
  const c = labelCoverage([1, 2, 3, 4, 5, 6, 7, 8, 9], whole);
  assert.equal(c.inTriplets, 8);
  assert.ok(c.decidedPairs >= 0.75, String(c.decidedPairs));
  assert.equal(c.saturated, false, '8 of 9 images used is below 95%');
  assert.equal(labelCoverage([], []).saturated, false);
});

test('coverage: early while fewer than 10% of pairs are decided', () => {
  // 20 images, {1,2} and {3,4} kept apart: 1 + 1 + 4 = 6 of 190 pairs.
  const pool = Array.from({ length: 20 }, (_, i) => i + 1);
  const few: Triplet[] = [
    [1, 2, 3],
    [3, 4, 1],
  ];
  const c = labelCoverage(pool, few);
  assert.ok(Math.abs(c.decidedPairs - 6 / 190) < 1e-12, String(c.decidedPairs));
  assert.equal(c.early, true);
  assert.match(coverageText(c).advice ?? '', /triplets you make yourself/);
  assert.equal(labelCoverage([1, 2, 3, 4, 5, 6, 7, 9], train).early, false, '64% decided');
  assert.equal(labelCoverage([1, 2], []).early, false, 'too few images to say');
});

test('coverage text: the numbers always, the advice only when saturated or early', () => {
  const open = coverageText(labelCoverage([1, 2, 3, 4, 5, 6, 7, 9], train));
  assert.match(open.summary, /7 of the 8 images outside test triplets/);
  assert.match(open.summary, /2 groups/);
  assert.match(open.summary, /64% of image pairs/);
  assert.equal(open.advice, null);
  const full = coverageText(labelCoverage([1, 2, 4, 5], train));
  assert.match(full.summary, /100% of image pairs/);
  assert.match(full.advice ?? '', /more labels will change the model little/);
});
