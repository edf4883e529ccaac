import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initBackend, tf } from '../../../../src/main/ml/backend/tfjs.js';
import { fileSystemHandler } from '../../../../src/main/ml/backbone/registry.js';
import { loadEncoder, saveEncoder } from '../../../../src/main/ml/encoder/files.js';
import { createFastEncoder, createLayersEncoder, denseFast, embedFeatures, embedFeaturesJs } from '../../../../src/main/ml/encoder/model.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/main/ml/defaults.js';

const closeArrays = (x: ArrayLike<number>, y: ArrayLike<number>, eps = 1e-5): void => {
  assert.equal(x.length, y.length);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) < eps, `[${i}] ${x[i]} ≉ ${y[i]}`);
};

test('customGrad dense: forward and gradients equal tf autograd of x·W + b', async () => {
  await initBackend();
  const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
  const w = tf.tensor2d([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]);
  const b = tf.tensor1d([0.01, -0.02]);
  // A non-uniform upstream gradient, so every element of dy matters.
  const upstream = tf.tensor2d([[1, -2], [0.5, 3]]);
  const f = (fn: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tf.mul(fn(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D), upstream));
  const fast = tf.grads(f((xx, ww, bb) => denseFast(xx, ww, bb)))([x, w, b]);
  const ref = tf.grads(f((xx, ww, bb) => tf.add(tf.matMul(xx, ww), bb)))([x, w, b]);
  closeArrays(denseFast(x, w, b).dataSync(), [1 * 0.1 + 2 * 0.3 + 3 * -0.5 + 0.01, 1 * -0.2 + 2 * 0.4 + 3 * 0.6 - 0.02, -0.1 + 0.15 - 1 + 0.01, 0.2 + 0.2 + 1.2 - 0.02]);
  for (let i = 0; i < 3; i++) closeArrays(fast[i].dataSync(), ref[i].dataSync());
  // Without the input gradient (first layer), dW and db are unchanged.
  const noDx = tf.grads(f((xx, ww, bb) => denseFast(xx, ww, bb, false)))([x, w, b]);
  for (let i = 1; i < 3; i++) closeArrays(noDx[i].dataSync(), ref[i].dataSync());
  // dW = xᵀ·dy by hand for one element: x[:,0]·dy[:,0] = 1·1 + (−1)·0.5
  assert.ok(Math.abs(fast[1].dataSync()[0] - 0.5) < 1e-6);
});

test('fast and stock-layers encoders compute the same thing; embedFeatures matches; save/load round-trips', async () => {
  await initBackend();
  const shape = { inputDim: 6, hidden: 5, embedding: 3 };
  const fast = createFastEncoder(shape, 42);
  const layers = createLayersEncoder(shape, 42);
  const xData = Float32Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i) * 2);
  const x = tf.tensor2d(xData, [4, 6]);
  const yFast = fast.forward(x, 0.5, null).dataSync();
  closeArrays(yFast, layers.forward(x, 0.5, null).dataSync());
  const weights = fast.read();
  closeArrays(embedFeatures({ weights }, xData, 4, 6), yFast);
  closeArrays(embedFeaturesJs({ weights }, xData, 4, 6), yFast);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(Math.hypot(...yFast.slice(i * 3, i * 3 + 3)) - 1) < 1e-5, 'rows are unit length');

  const dir = await mkdtemp(join(tmpdir(), 'ts-enc-'));
  try {
    const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 5, embedding: 3 };
    await saveEncoder(dir, { weights, bestEpoch: 3 }, options);
    const loaded = await loadEncoder(dir);
    assert.deepEqual(loaded.options, options);
    assert.equal(loaded.meta.bestEpoch, 3);
    closeArrays(embedFeatures(loaded, xData, 4, 6), yFast);
    // The file is a real tfjs layers model: tfjs loads it and, before the L2 step, agrees with us.
    const model = await tf.loadLayersModel(fileSystemHandler(join(dir, 'model.json')));
    const raw = model.predict(x) as tf.Tensor2D;
    const normed = tf.div(raw, tf.norm(raw, 'euclidean', 1, true));
    closeArrays(normed.dataSync(), yFast);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
