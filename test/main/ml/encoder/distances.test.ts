import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distance, l2normalize, scoreTriplets, tripletAccuracy, tripletLoss } from '../../../../src/main/ml/encoder/distances.js';
import { initBackend, tf } from '../../../../src/main/ml/backend/tfjs.js';
import { tfDistance, tfTripletLoss } from '../../../../src/main/ml/encoder/model.js';

const a = Float32Array.from([1, 2, 3]);
const b = Float32Array.from([4, 0, 3]);
const close = (x: number, y: number, eps = 1e-6): void => assert.ok(Math.abs(x - y) < eps, `${x} ≉ ${y}`);

test('distances match hand-computed values', () => {
  close(distance('l1', a, b), 5); // |1−4| + |2−0| + |3−3|
  close(distance('l2', a, b), Math.sqrt(13)); // √(9 + 4 + 0)
  close(distance('cosine', a, b), 1 - 13 / (Math.sqrt(14) * 5)); // a·b = 13, |a| = √14, |b| = 5
  close(distance('cosine', a, Float32Array.from([2, 4, 6])), 0);
  assert.throws(() => distance('l2', a, Float32Array.from([1])), /length mismatch/);
});

test('l2normalize gives unit length and keeps zero vectors', () => {
  const n = l2normalize(Float32Array.from([3, 4]));
  close(n[0], 0.6);
  close(n[1], 0.8);
  assert.deepEqual(Array.from(l2normalize(new Float32Array(2))), [0, 0]);
});

test('triplet loss is max(dAP − dAN + margin, 0)', () => {
  assert.equal(tripletLoss(1, 3, 0.5), 0);
  assert.equal(tripletLoss(3, 1, 0.5), 2.5);
  close(tripletLoss(1, 1.2, 0.5), 0.3);
});

test('scoreTriplets and accuracy', () => {
  const v = new Map([
    [1, Float32Array.from([0, 0])],
    [2, Float32Array.from([1, 0])],
    [3, Float32Array.from([3, 0])],
  ]);
  const s = scoreTriplets(v, [[1, 2, 3], [1, 3, 2]], 'l1');
  assert.deepEqual(s, [{ dAP: 1, dAN: 3 }, { dAP: 3, dAN: 1 }]);
  assert.equal(tripletAccuracy(s), 0.5);
  assert.throws(() => scoreTriplets(v, [[1, 2, 9]], 'l2'), /no vector for image 9/);
});

test('tf distances and loss used in training agree with the plain-JS ones', async () => {
  await initBackend();
  const ta = tf.tensor2d([Array.from(a), [0.5, -1, 2]]);
  const tb = tf.tensor2d([Array.from(b), [1, 1, 1]]);
  for (const kind of ['l1', 'l2', 'cosine'] as const) {
    const got = tfDistance(kind, ta, tb).dataSync();
    close(got[0], distance(kind, a, b), 1e-5);
    close(got[1], distance(kind, Float32Array.from([0.5, -1, 2]), Float32Array.from([1, 1, 1])), 1e-5);
  }
  const loss = tfTripletLoss(tf.tensor1d([1, 3]), tf.tensor1d([3, 1]), 0.5).dataSync()[0];
  close(loss, (0 + 2.5) / 2);
});
