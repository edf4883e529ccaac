// The onnxruntime-node training step against the tfjs fast path: same data, seeds, masks and initial
// weights → the same losses and weights after a few Adam steps, per distance, with and without
// weight decay and dropout, for one encoder and an ensemble of 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainOptions } from '../../../../../src/shared/types.js';
import { initBackend } from '../../../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../../src/main/ml/defaults.js';
import { fitEncoder } from '../../../../../src/main/ml/encoder/fit.js';
import { loadOrtForTraining } from '../../../../../src/main/ml/encoder/ort/load.js';
import { flushTiny, MOMENT_FLOOR } from '../../../../../src/main/ml/encoder/ort/trainer.js';
import { seededRandom } from '../../../../../src/main/ml/encoder/rng.js';

const ortMissing = await loadOrtForTraining().then(() => false, (e: Error) => e.message);

/** 40 random 24-d images in 4 loose clusters; 48 triplets (a, p same cluster, n another). */
function data(): { features: Float32Array; triplets: Int32Array } {
  const rand = seededRandom(3);
  const dim = 24;
  const features = new Float32Array(40 * dim);
  for (let i = 0; i < 40; i++) for (let d = 0; d < dim; d++) features[i * dim + d] = (d % 4 === i % 4 ? 1 : 0) + rand() - 0.3;
  const t: number[] = [];
  for (let k = 0; k < 48; k++) {
    const a = Math.floor(rand() * 40);
    const p = (a + 4 * (1 + Math.floor(rand() * 9))) % 40;
    const n = (a + 1 + Math.floor(rand() * 3)) % 40;
    t.push(a, p, n);
  }
  return { features, triplets: Int32Array.from(t) };
}

const base: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, hidden: 16, embedding: 5, epochs: 3, batchSize: 20, validationSplit: 0, ensemble: 1, weightDecay: 0, derived: 0, seed: 9, stepsPerEpoch: 0, learningRate: 0.01 };

async function both(options: TrainOptions) {
  await initBackend('wasm');
  const d = data();
  // unique: false: the tfjs path then draws its masks for all 3m rows, as the ORT engine does.
  const tfjs = await fitEncoder({ dim: 24, ...d, options, unique: false });
  const ort = await fitEncoder({ dim: 24, ...d, options, unique: false, engine: 'onnxruntime' });
  return { tfjs, ort };
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const cases: [string, Partial<TrainOptions>][] = [];
for (const distance of ['l2', 'l1', 'cosine'] as const) {
  cases.push([`${distance}`, { distance }]);
  cases.push([`${distance}, weight decay 0.01`, { distance, weightDecay: 0.01 }]);
}
cases.push(['l2, no dropout', { dropout: 0 }]);
cases.push(['cosine, ensemble of 2, weight decay', { distance: 'cosine', ensemble: 2, weightDecay: 0.001 }]);

for (const [name, over] of cases) {
  test(`ORT training step = tfjs step: ${name}`, { skip: ortMissing }, async () => {
    const { tfjs, ort } = await both({ ...base, ...over });
    assert.equal(ort.weights.length, tfjs.weights.length);
    // 3 epochs × 3 batches (20, 20, 8 triplets): 9 Adam steps with their bias corrections.
    tfjs.epochs.forEach((e, i) => assert.ok(Math.abs(e.loss - ort.epochs[i].loss) < 1e-5 * Math.max(1, e.loss), `epoch ${i + 1} loss: tfjs ${e.loss}, ORT ${ort.epochs[i].loss}`));
    tfjs.weights.forEach((w, i) => {
      assert.equal(ort.weights[i].name, w.name);
      assert.deepEqual(ort.weights[i].shape, w.shape);
      const diff = maxDiff(w.data, ort.weights[i].data);
      // lr 0.01, 9 steps: weights move by up to ~0.09; the engines agree to float32 rounding (measured ≤ 1e-7).
      assert.ok(diff < 1e-5, `${w.name}: max |tfjs − ORT| = ${diff}`);
    });
    assert.notDeepEqual(tfjs.weights[0].data, ort.weights[0].data.map(() => 0), 'weights are real');
  });
}

test('ORT training step = tfjs step: ensemble of 2 on the parallel executor (2 threads)', { skip: ortMissing }, async () => {
  process.env.TRIPLET_STUDIO_ORT_TRAIN_THREADS = '2';
  try {
    const { tfjs, ort } = await both({ ...base, ensemble: 2 });
    tfjs.weights.forEach((w, i) => assert.ok(maxDiff(w.data, ort.weights[i].data) < 1e-5, `${w.name}: engines differ`));
  } finally {
    delete process.env.TRIPLET_STUDIO_ORT_TRAIN_THREADS;
  }
});

test('ORT training step = tfjs step: one encoder in this thread (TRIPLET_STUDIO_ORT_MEMBER_THREADS=0, no member thread)', { skip: ortMissing }, async () => {
  process.env.TRIPLET_STUDIO_ORT_MEMBER_THREADS = '0';
  try {
    const { tfjs, ort } = await both({ ...base, distance: 'l1' });
    tfjs.weights.forEach((w, i) => assert.ok(maxDiff(w.data, ort.weights[i].data) < 1e-5, `${w.name}: engines differ`));
  } finally {
    delete process.env.TRIPLET_STUDIO_ORT_MEMBER_THREADS;
  }
});

test('Adam moments sinking into float32 denormals are flushed to zero; real moments are kept', () => {
  const a = Float32Array.from([1e-8, -3e-20, 1.4e-45, -1e-40, 5e-31, 0, 2e-30]);
  assert.ok(a[2] > 0 && a[3] < 0, 'the denormals exist in float32');
  flushTiny(a);
  assert.deepEqual([...a], [Math.fround(1e-8), Math.fround(-3e-20), 0, 0, 0, 0, Math.fround(2e-30)]);
  assert.equal(MOMENT_FLOOR, 1e-30);
});
