import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../../src/main/ml/defaults.js';
import { fitEncoder } from '../../../../../src/main/ml/encoder/fit.js';
import { epochPlanner, trainingGroups } from '../../../../../src/main/ml/encoder/miners/epochs.js';
import { seededRandom } from '../../../../../src/main/ml/encoder/rng.js';

/** 90 class-consistent triplets over 30 images in 3 classes (image i in class i % 3). */
function triplets(): Int32Array {
  const rand = seededRandom(4);
  const t: number[] = [];
  while (t.length < 270) {
    const [a, p, n] = [0, 0, 0].map(() => Math.floor(rand() * 30));
    if (a !== p && a % 3 === p % 3 && a % 3 !== n % 3) t.push(a, p, n);
  }
  return Int32Array.from(t);
}

test('epochs without derived triplets: the training triplets shuffled, nothing else', () => {
  const all = triplets();
  const train = Int32Array.from({ length: 60 }, (_, i) => i);
  const e = epochPlanner(all, train, 0, seededRandom(1))(seededRandom(2));
  assert.equal(e.triplets, all);
  assert.deepEqual([...e.order].sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i));
});

test('epochs with derived triplets: the training ones plus fresh implied ones from training images only', () => {
  const all = triplets();
  const train = Int32Array.from({ length: 45 }, (_, i) => i); // the first 45 triplets; the rest stands for validation
  const trainImages = new Set(all.subarray(0, 135));
  const plan = epochPlanner(all, train, 2, seededRandom(1));
  const e1 = plan(seededRandom(2));
  const e2 = plan(seededRandom(2));
  assert.equal(e1.order.length, 45 * 3, 'own + 2× derived');
  assert.deepEqual(e1.triplets.subarray(0, 135), all.subarray(0, 135), 'own triplets first');
  for (let k = 0; k < e1.triplets.length; k += 3) {
    const [a, p, n] = e1.triplets.subarray(k, k + 3);
    for (const x of [a, p, n]) assert.ok(trainImages.has(x), `image ${x} of a derived triplet is a training image`);
    assert.ok(a % 3 === p % 3 && a % 3 !== n % 3, 'implied triplets follow the chained positives');
  }
  assert.notDeepEqual(e2.triplets.subarray(135), e1.triplets.subarray(135), 'a fresh draw each epoch');
});

test('training with derived triplets is seeded and differs from training without', async () => {
  await initBackend('wasm');
  const rand = seededRandom(9);
  const features = Float32Array.from({ length: 30 * 6 }, (_, i) => (Math.floor(i / 6) % 3 === i % 6 % 3 ? 1 : 0) + rand() * 0.5);
  const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 8, embedding: 3, epochs: 3, batchSize: 16, ensemble: 1, seed: 3 };
  const input = { dim: 6, features, triplets: triplets() };
  const a = await fitEncoder({ ...input, options: { ...options, derived: 1 } });
  const b = await fitEncoder({ ...input, options: { ...options, derived: 1 } });
  const plain = await fitEncoder({ ...input, options: { ...options, derived: 0 } });
  assert.deepEqual(a.weights.map((w) => Array.from(w.data)), b.weights.map((w) => Array.from(w.data)));
  assert.notDeepEqual(a.weights[0].data, plain.weights[0].data);
});

test('epochs: groups that contradict many triplets are not trusted (no derived triplets)', () => {
  // 60 class-consistent triplets, then 20 with positive and negative swapped: 25% contradicted.
  const t = triplets().slice(0, 240);
  for (let k = 60; k < 80; k++) [t[3 * k + 1], t[3 * k + 2]] = [t[3 * k + 2], t[3 * k + 1]];
  const train = Int32Array.from({ length: 80 }, (_, i) => i);
  assert.equal(trainingGroups(t, train), null);
  assert.equal(epochPlanner(t, train, 1, seededRandom(1))(seededRandom(2)).order.length, 80, 'only the own triplets');
  assert.notEqual(trainingGroups(t.slice(0, 180), Int32Array.from({ length: 60 }, (_, i) => i)), null, 'the clean part alone is trusted');
});

test('groups of a set within the cap use every triplet and draw nothing; a larger set forms them from a sample ∝ images', async () => {
  const { GROUP_TRIPLETS_PER_IMAGE, MIN_GROUP_TRIPLETS, groupSampleSize } = await import('../../../../../src/main/ml/encoder/miners/epochs.js');
  const { groupImages } = await import('../../../../../src/main/ml/encoder/miners/groups.js');
  assert.equal(groupSampleSize(1_200, 300), 1_200, 'the shared sets: all');
  assert.equal(groupSampleSize(1_000_000, 20_000), GROUP_TRIPLETS_PER_IMAGE * 20_000, '1,000,000 over 20,000 images: 8 per image');
  assert.equal(groupSampleSize(30_000, 1_000), MIN_GROUP_TRIPLETS);
  // Within the cap: the same groups as all triplets, and the random stream untouched.
  const small = triplets();
  const idx = Int32Array.from({ length: 90 }, (_, i) => i);
  const [r1, r2] = [seededRandom(5), seededRandom(5)];
  assert.deepEqual(trainingGroups(small, idx, r1), trainingGroups(small, idx));
  assert.equal(r1(), r2());
  // Above it: 40,000 class-consistent triplets over 1,000 images in 10 classes; the groups come from 24,000 of them.
  const rand = seededRandom(8);
  const big = new Int32Array(3 * 40_000);
  for (let t = 0; t < 40_000; ) {
    const [a, p, n] = [0, 0, 0].map(() => Math.floor(rand() * 1000));
    if (a !== p && a % 10 === p % 10 && a % 10 !== n % 10) big.set([a, p, n], 3 * t++);
  }
  const all = Int32Array.from({ length: 40_000 }, (_, i) => i);
  const draws = seededRandom(3);
  const sampled = trainingGroups(big, all, draws)!;
  assert.notEqual(draws(), seededRandom(3)(), 'the sample was drawn');
  const full = groupImages(big);
  assert.equal(sampled.members.length, 10);
  const sorted = (m: number[][]) => [...m].sort((x, y) => x[0] - y[0]);
  assert.deepEqual(sorted(sampled.members), sorted(full.members), 'the same groups as from every triplet (clean labels)');
});
