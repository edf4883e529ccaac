// A change in accuracy as Review's "Retrain with my fixes" and Suggest's "Train again" show it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPoints } from '../../../src/renderer/lib/format.js';

test('an accuracy change reads in signed points, one decimal, with a true minus sign', () => {
  assert.equal(formatPoints(0.008), '+0.8 points');
  assert.equal(formatPoints(-0.0123), '−1.2 points');
  assert.equal(formatPoints(0), '+0.0 points');
});
