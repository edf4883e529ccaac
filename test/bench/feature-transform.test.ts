import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFeatureTransform, fitFeatureTransform, parseFeatureTransform } from '../../bench/feature-transform.js';

const close = (x: number, y: number, eps = 1e-5): void => assert.ok(Math.abs(x - y) < eps, `${x} ≉ ${y}`);

// 3 rows × 2 dims; row 2 is an "evaluation" row far from the others.
const X = Float32Array.from([4, 0, 0, 9, 100, 100]);

test('none copies the features; l2 and sqrt-l2 work row by row (nothing fitted)', () => {
  const none = applyFeatureTransform(fitFeatureTransform('none', X, 2, [0, 1]), X, 3);
  assert.deepEqual(Array.from(none), Array.from(X));
  assert.notEqual(none, X);
  const l2 = applyFeatureTransform(fitFeatureTransform('l2', X, 2, [0]), X, 3);
  assert.deepEqual(Array.from(l2.subarray(0, 4)), [1, 0, 0, 1]);
  close(l2[4], Math.SQRT1_2);
  // sqrt first: [4, 0] → [2, 0] → [1, 0]; [1, 9] → [1, 3] → [1, 3]/√10.
  const s = applyFeatureTransform(fitFeatureTransform('sqrt-l2', Float32Array.from([1, 9]), 2, [0]), Float32Array.from([1, 9, -4, 0]), 2);
  close(s[0], 1 / Math.sqrt(10));
  close(s[1], 3 / Math.sqrt(10));
  assert.deepEqual([s[2], s[3]], [-1, 0]); // signed: −4 → −2 → −1
});

test('standardize is fitted on the training rows only and applied identically to other rows', () => {
  const t = fitFeatureTransform('standardize', X, 2, [0, 1, 1, 0]);
  // Train rows 0 and 1 only: mean [2, 4.5]; row 2 (100, 100) must not move the statistics.
  assert.deepEqual(t.mean, [2, 4.5]);
  const out = applyFeatureTransform(t, X, 3);
  close(out[0], -out[2]); // train rows are centred: ±1 sd
  close(out[1], -out[3]);
  close(out[0] * out[0] + out[2] * out[2], 2 * (1 / (1 + 0.01 * ((4 + 20.25) / 2) / 4)), 1e-4); // variance floor of 1% of the mean variance
  // A new row gets the same map: (x − mean) · invSd.
  close(out[4], (100 - 2) * t.invSd![0]);
  close(out[5], (100 - 4.5) * t.invSd![1]);
  const again = applyFeatureTransform(t, X.subarray(4), 1);
  assert.deepEqual(Array.from(again), Array.from(out.subarray(4)));
});

test('a transform survives a JSON round trip (as saved with the model) and bad ones are refused', () => {
  const t = fitFeatureTransform('sqrt-l2-standardize', X, 2, [0, 1]);
  const back = parseFeatureTransform(JSON.parse(JSON.stringify(t)), 2);
  assert.deepEqual(Array.from(applyFeatureTransform(back, X, 3)), Array.from(applyFeatureTransform(t, X, 3)));
  assert.throws(() => parseFeatureTransform(JSON.parse(JSON.stringify(t)), 3), /fitted on 2-d features, got 3/);
  assert.throws(() => parseFeatureTransform({ kind: 'standardize', dim: 2, mean: [0] }, 2), /mean\/invSd must have 2 values/);
  assert.throws(() => parseFeatureTransform({ kind: 'pca', dim: 2 }, 2), /unknown or missing kind/);
  assert.throws(() => fitFeatureTransform('standardize', X, 2, []), /no training rows/);
});
