import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/main/ml/defaults.js';
import { fitEncoder } from '../../../../src/main/ml/encoder/fit.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { distinctImages, epochPlan, epochSampler, MIN_EPOCH_TRIPLETS, TRIPLETS_PER_IMAGE } from '../../../../src/main/ml/encoder/schedule.js';

test('small sets train on every triplet each epoch; large ones on a capped epoch; stepsPerEpoch overrides', () => {
  assert.deepEqual(epochPlan(1200, 300, { batchSize: 64 }), { perEpoch: 1200, batches: 19, full: true });
  const big = epochPlan(1_000_000, 20_000, { batchSize: 64 });
  assert.equal(big.full, false);
  assert.equal(big.perEpoch, Math.max(MIN_EPOCH_TRIPLETS, TRIPLETS_PER_IMAGE * 20_000));
  assert.equal(big.batches, Math.ceil(big.perEpoch / 64));
  assert.equal(epochPlan(100_000, 300, { batchSize: 64 }).perEpoch, MIN_EPOCH_TRIPLETS);
  assert.deepEqual(epochPlan(1_000_000, 20_000, { batchSize: 64, stepsPerEpoch: 0 }), { perEpoch: 1_000_000, batches: 15625, full: true });
  assert.deepEqual(epochPlan(1200, 300, { batchSize: 64, stepsPerEpoch: 5 }), { perEpoch: 320, batches: 5, full: false });
  assert.equal(epochPlan(1200, 300, { batchSize: 64, stepsPerEpoch: 100 }).full, true, 'more steps than a full pass: a full pass');
});

test('the validated rule: four triplets per image per epoch; fewer under-trained a set of 4,800 over 1,200 images', () => {
  // Two per image per epoch (the old cap of 2,400 here) scored 0.708 ± 0.025 vs 0.751 ± 0.001 for full epochs.
  assert.equal(epochPlan(4800, 1200, { batchSize: 64 }).full, true);
  assert.equal(epochPlan(6000, 600, { batchSize: 64 }).perEpoch, 2400, 'four per image matched full epochs there');
  assert.equal(epochPlan(1_000_000, 20_000, { batchSize: 64 }).perEpoch, 80_000);
});

test('capped epochs use every triplet once before any twice', () => {
  const idx = Int32Array.from({ length: 10 }, (_, i) => i);
  const next = epochSampler(idx, { perEpoch: 4, batches: 1, full: false }, seededRandom(1));
  const drawn = [...next(), ...next(), ...next(), ...next(), ...next()];
  assert.deepEqual([...drawn.slice(0, 10)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...drawn.slice(10, 20)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('distinctImages counts the rows the chosen triplets use', () => {
  assert.equal(distinctImages(Int32Array.from([0, 1, 2, 2, 3, 4, 5, 6, 7]), Int32Array.from([0, 1])), 5);
});

test('a large set trains capped epochs and reports their size', async () => {
  await initBackend('wasm');
  const rand = seededRandom(2);
  const dim = 4;
  const features = Float32Array.from({ length: 50 * dim }, () => rand());
  const triplets = Int32Array.from({ length: 3 * 6000 }, () => Math.floor(rand() * 50));
  const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 8, embedding: 2, epochs: 2, batchSize: 256, validationSplit: 0, ensemble: 1, seed: 1 };
  const r = await fitEncoder({ dim, features, triplets, options });
  assert.equal(r.trainCount, 6000);
  assert.equal(r.tripletsPerEpoch, MIN_EPOCH_TRIPLETS);
  const full = await fitEncoder({ dim, features, triplets, options: { ...options, stepsPerEpoch: 0 } });
  assert.equal(full.tripletsPerEpoch, 6000);
});

test('packTraining takes flat image ids as well as tuples, with the same rows', async () => {
  const { packTraining, flatTriplets } = await import('../../../../src/main/ml/encoder/train.js');
  const features = new Map([10, 20, 30, 40].map((id) => [id, Float32Array.of(id, -id)]));
  const tuples: [number, number, number][] = [[10, 20, 30], [40, 10, 20]];
  const flat = flatTriplets(tuples.map(([a, p, n]) => ({ a, p, n })));
  assert.deepEqual(Array.from(flat), [10, 20, 30, 40, 10, 20]);
  assert.deepEqual(packTraining(2, features, flat), packTraining(2, features, tuples));
  assert.throws(() => packTraining(2, features, Int32Array.of(10, 20, 99)), /No 2-d features for image 99 \(training triplet 1\)/);
});
