import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../../src/main/ml/backend.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/ml/defaults.js';
import { fitEncoder, splitHoldout } from '../../../src/main/ml/fit.js';
import { seededRandom } from '../../../src/main/ml/rng.js';

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

const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 16, embedding: 4, epochs: 6, batchSize: 8, validationSplit: 0.2, seed: 5 };

test('hold-out split is seeded, disjoint and complete', () => {
  const [a1, v1] = splitHoldout(50, 0.2, seededRandom(1));
  const [a2, v2] = splitHoldout(50, 0.2, seededRandom(1));
  assert.deepEqual([a1, v1], [a2, v2]);
  assert.equal(v1.length, 10);
  assert.deepEqual([...a1, ...v1].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(splitHoldout(1, 0.5, seededRandom(1))[1].length, 0, 'never holds out the only triplet');
});

test('training is reproducible with a seed, learns the toy task and keeps the best epoch', async () => {
  await initBackend('wasm');
  const data = toyData();
  const r1 = await fitEncoder({ dim: 8, ...data, options });
  const r2 = await fitEncoder({ dim: 8, ...data, options });
  const r3 = await fitEncoder({ dim: 8, ...data, options: { ...options, seed: 6 } });
  assert.deepEqual(r1.weights.map((w) => Array.from(w.data)), r2.weights.map((w) => Array.from(w.data)), 'same seed, same weights');
  assert.notDeepEqual(r1.weights[0].data, r3.weights[0].data, 'another seed, other weights');
  assert.equal(r1.valCount, 12);
  assert.equal(r1.trainCount, 48);
  assert.equal(r1.epochs.length, 6);
  const best = r1.epochs[r1.bestEpoch - 1];
  for (const m of r1.epochs) assert.ok(m.valAccuracy < best.valAccuracy || (m.valAccuracy === best.valAccuracy && m.valLoss >= best.valLoss));
  assert.ok(best.valAccuracy >= 0.9, `toy task learnt (val accuracy ${best.valAccuracy})`);
  assert.ok(r1.epochs.at(-1)!.loss < r1.epochs[0].loss, 'training loss decreases');
});
