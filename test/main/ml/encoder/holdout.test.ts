import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitByImages } from '../../../../src/main/ml/encoder/holdout.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';

/** 600 random triplets over 100 images (distinct images within a triplet). */
function randomTriplets(seed: number): Int32Array {
  const rand = seededRandom(seed);
  const t: number[] = [];
  while (t.length < 1800) {
    const [a, p, n] = [0, 0, 0].map(() => Math.floor(rand() * 100));
    if (a !== p && a !== n && p !== n) t.push(a, p, n);
  }
  return Int32Array.from(t);
}

test('image hold-out: no image of a validation triplet is in any training triplet', () => {
  const triplets = randomTriplets(3);
  const s = splitByImages(triplets, 0.35, seededRandom(1));
  assert.equal(s.heldImages, 35);
  assert.ok(s.val.length > 10, `${s.val.length} validation triplets`);
  const trainImages = new Set<number>();
  for (const i of s.train) for (let k = 0; k < 3; k++) trainImages.add(triplets[3 * i + k]);
  for (const i of s.val) for (let k = 0; k < 3; k++) assert.ok(!trainImages.has(triplets[3 * i + k]), `validation triplet ${i} shares an image with training`);
  assert.equal(s.train.length + s.val.length + s.unused, 600, 'every triplet accounted for');
  assert.equal(new Set([...s.train, ...s.val]).size, s.train.length + s.val.length, 'train and val disjoint');
});

test('image hold-out is seeded; fraction 0 or a hold-out leaving no validation triplet keeps everything for training', () => {
  const triplets = randomTriplets(4);
  assert.deepEqual(splitByImages(triplets, 0.3, seededRandom(9)), splitByImages(triplets, 0.3, seededRandom(9)));
  assert.notDeepEqual(splitByImages(triplets, 0.3, seededRandom(9)).val, splitByImages(triplets, 0.3, seededRandom(10)).val);
  for (const f of [0, 0.01]) {
    const s = splitByImages(triplets, f, seededRandom(1));
    assert.equal(s.train.length, 600);
    assert.equal(s.val.length, 0);
    assert.equal(s.unused, 0);
  }
});
