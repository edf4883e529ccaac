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

/** The Set-based split this module had before (reference for the typed-array one: same split, same draws). */
function splitBefore(triplets: Int32Array, fraction: number, rand: () => number) {
  const count = triplets.length / 3;
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const images = [...new Set(triplets)].sort((a, b) => a - b);
  const nHeld = Math.round(images.length * fraction);
  const none = { train: all, val: new Int32Array(0), unused: 0, heldImages: 0 };
  if (fraction <= 0 || nHeld === 0) return none;
  for (let i = images.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [images[i], images[j]] = [images[j], images[i]];
  }
  const held = new Set(images.slice(0, nHeld));
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = Number(held.has(triplets[3 * i])) + Number(held.has(triplets[3 * i + 1])) + Number(held.has(triplets[3 * i + 2]));
    if (k === 0) train.push(i);
    else if (k === 3) val.push(i);
  }
  if (train.length === 0 || val.length === 0) return none;
  return { train: Int32Array.from(train), val: Int32Array.from(val), unused: count - train.length - val.length, heldImages: nHeld };
}

test('image hold-out gives exactly the split of the Set-based version it replaced, and draws the same numbers', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const triplets = randomTriplets(seed);
    for (const f of [0, 0.005, 0.1, 0.3, 0.5]) {
      const [r1, r2] = [seededRandom(seed * 31), seededRandom(seed * 31)];
      assert.deepEqual(splitByImages(triplets, f, r1), splitBefore(triplets, f, r2), `seed ${seed}, fraction ${f}`);
      assert.equal(r1(), r2(), 'the random stream is left where it was');
    }
  }
});
