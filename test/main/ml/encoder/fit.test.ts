import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initBackend } from '../../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/main/ml/defaults.js';
import { loadEncoder, saveEncoder } from '../../../../src/main/ml/encoder/files.js';
import { embedFeaturesJs } from '../../../../src/main/ml/encoder/model.js';
import { fitEncoder, type TrainProgress } from '../../../../src/main/ml/encoder/fit.js';
import { fitWithRefit } from '../../../../src/main/ml/encoder/refit.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';

/** Two well-separated clusters in 8-d; triplets (a, p from one cluster, n from the other). */
function toyData(): { features: Float32Array; triplets: Int32Array } {
  const rand = seededRandom(11);
  const dim = 8;
  const features = new Float32Array(20 * dim);
  for (let i = 0; i < 20; i++) for (let d = 0; d < dim; d++) features[i * dim + d] = (i < 10 ? (d < 4 ? 1 : 0) : d < 4 ? 0 : 1) + rand() * 0.8;
  const t: number[] = [];
  for (let k = 0; k < 60; k++) {
    const c = k % 2;
    const a = c * 10 + Math.floor(rand() * 10);
    const p = c * 10 + ((a % 10) + 1 + Math.floor(rand() * 9)) % 10;
    const n = (1 - c) * 10 + Math.floor(rand() * 10);
    t.push(a, p, n);
  }
  return { features, triplets: Int32Array.from(t) };
}

const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 16, embedding: 4, epochs: 6, batchSize: 8, validationSplit: 0.5, ensemble: 1, weightDecay: 0, derived: 0, seed: 5 };

test('training is reproducible with a seed, learns the toy task and keeps the best epoch', async () => {
  await initBackend('wasm');
  const data = toyData();
  const r1 = await fitEncoder({ dim: 8, ...data, options });
  const r2 = await fitEncoder({ dim: 8, ...data, options });
  const r3 = await fitEncoder({ dim: 8, ...data, options: { ...options, seed: 6 } });
  assert.deepEqual(r1.weights.map((w) => Array.from(w.data)), r2.weights.map((w) => Array.from(w.data)), 'same seed, same weights');
  assert.notDeepEqual(r1.weights[0].data, r3.weights[0].data, 'another seed, other weights');
  // Half the 20 images held out: validation triplets use only those, training triplets none of them.
  assert.equal(r1.valImages, 10);
  assert.ok(r1.valCount > 0 && r1.trainCount > 0, `${r1.trainCount} train / ${r1.valCount} validation`);
  assert.equal(r1.trainCount + r1.valCount + r1.unusedCount, 60);
  assert.equal(r1.epochs.length, 6);
  const best = r1.epochs[r1.bestEpoch - 1];
  for (const m of r1.epochs) assert.ok(m.valAccuracy < best.valAccuracy || (m.valAccuracy === best.valAccuracy && m.valLoss >= best.valLoss));
  assert.ok(best.valAccuracy >= 0.9, `toy task learnt (val accuracy ${best.valAccuracy})`);
  assert.ok(r1.epochs.at(-1)!.loss < r1.epochs[0].loss, 'training loss decreases');
});

test("each epoch's closing progress report carries that epoch's mean loss and validation accuracy", async () => {
  await initBackend('wasm');
  const data = toyData();
  const reports: TrainProgress[] = [];
  const r = await fitEncoder({ dim: 8, ...data, options: { ...options, batchSize: 4 } }, { onProgress: (p) => reports.push(p) });
  for (const m of r.epochs) {
    const ofEpoch = reports.filter((p) => p.epoch === m.epoch);
    const last = ofEpoch.at(-1)!;
    assert.equal(last.batch, last.batches, 'the closing report comes after the last batch');
    assert.equal(last.loss, m.loss, `epoch ${m.epoch}: the chart's loss is the epoch mean`);
    assert.equal(last.valAccuracy, m.valAccuracy, `epoch ${m.epoch}: validation accuracy of this epoch, not the previous`);
    for (const p of ofEpoch.slice(0, -1)) assert.equal(p.valAccuracy, undefined, 'no validation accuracy before the epoch is validated');
  }
});

test('weight decay shrinks the kernels; mirrored features identical to the plain ones change nothing', async () => {
  await initBackend('wasm');
  const data = toyData();
  const norm = (w: Float32Array): number => Math.sqrt(w.reduce((s, v) => s + v * v, 0));
  const fast = { ...options, learningRate: 0.02 };
  const undecayed = await fitEncoder({ dim: 8, ...data, options: fast });
  const decayed = await fitEncoder({ dim: 8, ...data, options: { ...fast, weightDecay: 0.1 } });
  assert.ok(norm(decayed.weights[0].data) < 0.9 * norm(undecayed.weights[0].data), 'first kernel smaller with weight decay');
  const plain = await fitEncoder({ dim: 8, ...data, options });
  const same = await fitEncoder({ dim: 8, ...data, flipped: data.features, options });
  assert.deepEqual(same.weights.map((w) => Array.from(w.data)), plain.weights.map((w) => Array.from(w.data)));
  const other = await fitEncoder({ dim: 8, ...data, flipped: data.features.map((v) => v * 0.5), options });
  assert.notDeepEqual(other.weights[0].data, plain.weights[0].data, 'mirrored rows are used');
});

test('an ensemble trains its members side by side: member 1 is the single encoder, embeddings are joined unit vectors', async () => {
  await initBackend('wasm');
  const data = toyData();
  const noVal = { ...options, validationSplit: 0 };
  const single = await fitEncoder({ dim: 8, ...data, options: noVal });
  const pair = await fitEncoder({ dim: 8, ...data, options: { ...noVal, ensemble: 2 } });
  assert.equal(pair.weights.length, 8);
  assert.equal(pair.bestEpoch, noVal.epochs, 'without validation the last epoch is kept');
  assert.deepEqual(pair.weights.slice(0, 4).map((w) => Array.from(w.data)), single.weights.map((w) => Array.from(w.data)));
  assert.notDeepEqual(pair.weights[4].data, pair.weights[0].data, 'member 2 starts elsewhere');
  assert.equal(pair.weights[4].name, 'member_2/dense_1/kernel');
  const emb = embedFeaturesJs(pair, data.features, 20, 8);
  assert.equal(emb.length, 20 * 2 * options.embedding);
  const e = 2 * options.embedding;
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(Math.hypot(...emb.subarray(i * e, (i + 1) * e)) - 1) < 1e-5, 'unit rows');
  const dir = await mkdtemp(join(tmpdir(), 'ts-ens-'));
  try {
    await saveEncoder(dir, { weights: pair.weights }, { ...noVal, ensemble: 2 });
    const loaded = await loadEncoder(dir);
    assert.deepEqual(loaded.weights.map((w) => [w.name, Array.from(w.data)]), pair.weights.map((w) => [w.name, Array.from(w.data)]));
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weightsManifest;
    assert.equal(manifest[0].weights.length, 4, 'model.json alone stays a valid one-member tfjs model');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('refit: the epoch count comes from image-disjoint validation, the kept model is trained on every triplet', async () => {
  await initBackend('wasm');
  const data = toyData();
  const validated = await fitEncoder({ dim: 8, ...data, options });
  const steps: [number, number][] = [];
  const refit = await fitWithRefit({ dim: 8, ...data, options: { ...options, refit: true } }, { onRefitProgress: (done, total) => steps.push([done, total]) });
  assert.equal(refit.bestEpoch, validated.bestEpoch);
  const curve = (r: { epochs: { loss: number; valAccuracy: number }[] }) => r.epochs.map((m) => [m.loss, m.valAccuracy]);
  assert.deepEqual(curve(refit), curve(validated), 'the curve is the validation pass');
  assert.equal(refit.trainCount, 60, 'the kept model saw every triplet');
  assert.equal(refit.valCount, validated.valCount);
  const again = await fitEncoder({ dim: 8, ...data, options: { ...options, validationSplit: 0, epochs: validated.bestEpoch } });
  assert.deepEqual(refit.weights.map((w) => Array.from(w.data)), again.weights.map((w) => Array.from(w.data)));
  assert.deepEqual(steps.at(-1), [validated.bestEpoch * 8, validated.bestEpoch * 8], '60 triplets / batch 8 = 8 steps per epoch');
  const none = await fitWithRefit({ dim: 8, ...data, options: { ...options, validationSplit: 0, refit: true } });
  assert.equal(none.refitSeconds, 0, 'nothing held out: nothing to refit');
});
