// A change in accuracy as Review's "Retrain with my fixes", Suggest's "Train again" and the Train view's run comparison show it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyChangeCaveat, formatPoints, shownChange } from '../../../src/renderer/lib/format.js';

test('an accuracy change reads in signed points, one decimal, with a true minus sign', () => {
  assert.equal(formatPoints(0.008), '+0.8 points');
  assert.equal(formatPoints(-0.0123), '−1.2 points');
  assert.equal(formatPoints(0), '+0.0 points');
});

test('a change between two runs says when seeds alone or a small test set could explain it', () => {
  assert.equal(accuracyChangeCaveat(0.05, 600), null, 'five points on 600 triplets: nothing to add');
  assert.equal(accuracyChangeCaveat(-0.019, 600), 'under 2 points is within what training seeds alone move');
  assert.equal(accuracyChangeCaveat(0.25, 8), 'one test triplet of 8 is 12.5 points');
  assert.equal(accuracyChangeCaveat(0, 50), 'one test triplet of 50 is 2.0 points; under 2 points is within what training seeds alone move');
  assert.equal(accuracyChangeCaveat(0.1, 100), null, '100 test triplets: one is exactly a point');
});

test('a change is the difference of the accuracies as shown, so the subtraction on screen adds up', () => {
  // Shown as 84.2% and 84.8%: unrounded the change is −0.68 points, which would read −0.7.
  assert.equal(formatPoints(0.8416 - 0.8484), '−0.7 points');
  assert.equal(formatPoints(shownChange(0.8416, 0.8484)), '−0.6 points');
  assert.equal(formatPoints(shownChange(0.9, 0.9)), '+0.0 points');
});
