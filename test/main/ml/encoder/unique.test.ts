import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend, tf } from '../../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/main/ml/defaults.js';
import { fitEncoder } from '../../../../src/main/ml/encoder/fit.js';
import { createFastEncoder } from '../../../../src/main/ml/encoder/model.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { gatherRows, UNIQUE_MIN_BATCH, uniqueRows, uniqueWorthIt } from '../../../../src/main/ml/encoder/unique.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

test('uniqueRows: distinct rows in first-seen order and each row’s index into them', () => {
  const u = uniqueRows(Int32Array.from([7, 3, 7, 9, 3, 3]));
  assert.deepEqual(Array.from(u.rows), [7, 3, 9]);
  assert.deepEqual(Array.from(u.of), [0, 1, 0, 2, 1, 1]);
  assert.equal(uniqueWorthIt(u), false, 'a batch of 2 triplets keeps the per-row path');
  const rows = (batch: number, images: number) => uniqueRows(Int32Array.from({ length: 3 * batch }, (_, i) => i % images));
  assert.equal(uniqueWorthIt(rows(UNIQUE_MIN_BATCH, 1.5 * UNIQUE_MIN_BATCH)), true, 'half as many images as rows');
  assert.equal(uniqueWorthIt(rows(UNIQUE_MIN_BATCH, 1.5 * UNIQUE_MIN_BATCH + 1)), false, 'more than half');
  assert.equal(uniqueWorthIt(rows(64, 10)), false, 'the default batch of 64 always trains per row');
});

test('the unique-image path gives the per-row outputs and gradients (no dropout)', async () => {
  await initBackend('wasm');
  const rand = seededRandom(3);
  const dim = 24;
  const images = 12;
  const feats = Float32Array.from({ length: images * dim }, () => rand() * 2 - 0.5);
  const idx = Int32Array.from({ length: 3 * 20 }, () => Math.floor(rand() * images));
  const u = uniqueRows(idx);
  assert.ok(u.rows.length < idx.length);
  const net = createFastEncoder({ inputDim: dim, hidden: 16, embedding: 5 }, 9);
  const all = tf.tensor2d(feats, [images, dim]);
  const xRows = tf.gather(all, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
  const xUnique = tf.gather(all, tf.tensor1d(u.rows, 'int32')) as tf.Tensor2D;
  // A loss that weights every row differently, so a wrong scatter of the gradient shows.
  const weights = tf.tensor2d(Float32Array.from({ length: idx.length * 5 }, () => rand() - 0.5), [idx.length, 5]);
  const lossOf = (e: tf.Tensor2D) => tf.sum(tf.mul(e, weights)) as tf.Scalar;
  const perRow = tf.variableGrads(() => lossOf(net.forward(xRows, 0, null)), net.variables);
  const unique = tf.variableGrads(() => lossOf(net.forwardUnique!(xUnique, u.of, 0, null)), net.variables);
  assert.ok(Math.abs(perRow.value.dataSync()[0] - unique.value.dataSync()[0]) < 1e-4, 'same loss');
  assert.ok(maxDiff(net.forward(xRows, 0, null).dataSync(), net.forwardUnique!(xUnique, u.of, 0, null).dataSync()) < 1e-5, 'same embeddings');
  for (const v of net.variables) {
    const d = maxDiff(perRow.grads[v.name].dataSync(), unique.grads[v.name].dataSync());
    assert.ok(d < 1e-4, `gradient of ${v.name} differs by ${d}`);
  }
  net.dispose();
});

test('gatherRows sums the gradient of repeated rows (segment sum)', async () => {
  await initBackend('wasm');
  const h = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(gatherRows(x as tf.Tensor2D, Int32Array.from([1, 0, 1, 1]))))(h);
  assert.deepEqual(Array.from(g.dataSync()), [1, 1, 3, 3]);
});

test('with dropout, the rows of one image share their masks in a step', async () => {
  await initBackend('wasm');
  const net = createFastEncoder({ inputDim: 6, hidden: 8, embedding: 3 }, 2);
  const x = tf.tensor2d(Float32Array.from({ length: 2 * 6 }, (_, i) => (i % 5) + 1), [2, 6]);
  const e = net.forwardUnique!(x, Int32Array.from([0, 1, 0, 0]), 0.5, 77).arraySync();
  assert.deepEqual(e[2], e[0]);
  assert.deepEqual(e[3], e[0]);
  net.dispose();
});

test('training takes the unique path on a batch with repeated images and still learns', async () => {
  await initBackend('wasm');
  const rand = seededRandom(5);
  const dim = 8;
  // 16 images in two clusters; 400 triplets, batch 128: ≤16 distinct of 384 rows per batch.
  const features = Float32Array.from({ length: 16 * dim }, (_, i) => (Math.floor(i / dim) < 8 === (i % dim) < 4 ? 1 : 0) + rand() * 0.8);
  const t: number[] = [];
  for (let k = 0; k < 400; k++) {
    const c = k % 2;
    t.push(c * 8 + Math.floor(rand() * 8), c * 8 + Math.floor(rand() * 8), (1 - c) * 8 + Math.floor(rand() * 8));
  }
  const triplets = Int32Array.from(t);
  const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 16, embedding: 4, epochs: 6, batchSize: 128, validationSplit: 0, ensemble: 1, seed: 5, stepsPerEpoch: 0 };
  const small = await fitEncoder({ dim, features, triplets, options: { ...options, batchSize: 64 } });
  const smallOld = await fitEncoder({ dim, features, triplets, options: { ...options, batchSize: 64 }, unique: false });
  assert.deepEqual(Array.from(small.weights[0].data), Array.from(smallOld.weights[0].data), 'batch 64: the per-row path, same weights');
  const fast = await fitEncoder({ dim, features, triplets, options });
  const old = await fitEncoder({ dim, features, triplets, options, unique: false });
  assert.notDeepEqual(Array.from(fast.weights[0].data), Array.from(old.weights[0].data), 'a different path (shared dropout masks) was taken');
  assert.ok(fast.epochs.at(-1)!.valAccuracy > 0.9, `learns the clusters: ${fast.epochs.at(-1)!.valAccuracy}`);
});
