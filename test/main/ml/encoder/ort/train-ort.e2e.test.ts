// The onnxruntime-node engine end to end on the shared flowers set: a short real training in the
// training worker (backend 'onnxruntime') lands in the same accuracy band as tfjs-wasm on test.txt,
// and a cancel mid-run stops it (the worker is asked, not terminated while onnxruntime runs).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { flowersTriplets } from '../../../../helpers/flowers-triplets.js';
import { sharedModelsDir, skipWithoutShared } from '../../../../helpers/shared.js';
import type { TrainOptions } from '../../../../../src/shared/types.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../../src/main/ml/defaults.js';
import { l2normalize, scoreTriplets, tripletAccuracy, type Triplet } from '../../../../../src/main/ml/encoder/distances.js';
import { embedFeatures } from '../../../../../src/main/ml/encoder/model.js';
import { loadOrtForTraining } from '../../../../../src/main/ml/encoder/ort/load.js';
import { trainEncoder } from '../../../../../src/main/ml/encoder/train.js';
import { extractFeatures } from '../../../../../src/main/ml/features/extract.js';

const ortMissing = await loadOrtForTraining().then(() => false, (e: Error) => e.message);
const skip = skipWithoutShared() || ortMissing;
const DIM = 768;
const features = new Map<number, Float32Array>();
let train: [number, number, number][] = [];
let testTriplets: Triplet[] = [];

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const set = flowersTriplets();
  train = set.train;
  testTriplets = set.test;
  const images = set.images;
  await extractFeatures({ backbone: 'mobilenet_v1_0.75_224', images, onBatch: (rows) => rows.forEach((r) => features.set(r.id, new Float32Array(r.features))) });
});

function testAccuracy(weights: { weights: { name: string; shape: number[]; data: Float32Array }[] }, kind: TrainOptions['distance']): number {
  const ids = [...features.keys()];
  const rows = new Float32Array(ids.length * DIM);
  ids.forEach((id, i) => rows.set(features.get(id)!, i * DIM));
  const emb = embedFeatures(weights, rows, ids.length, DIM);
  const e = emb.length / ids.length;
  return tripletAccuracy(scoreTriplets(new Map(ids.map((id, i) => [id, emb.subarray(i * e, (i + 1) * e)])), testTriplets, kind));
}

// Shorter than the defaults (one encoder, 12 epochs) so both engines run in a test; same options for both.
const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ensemble: 1, epochs: 12, seed: 2 };

test('ORT training reaches the accuracy band of tfjs-wasm on the flowers test set', { skip }, async () => {
  const ort = await trainEncoder({ dim: DIM, features, train, options: { ...options, backend: 'onnxruntime' } });
  const wasm = await trainEncoder({ dim: DIM, features, train, options: { ...options, backend: 'wasm' } });
  assert.equal(ort.backend, 'onnxruntime');
  assert.equal(wasm.backend, 'wasm');
  const baseline = tripletAccuracy(scoreTriplets(new Map([...features].map(([id, v]) => [id, l2normalize(v)])), testTriplets, options.distance));
  const a = testAccuracy(ort, options.distance);
  const b = testAccuracy(wasm, options.distance);
  console.log(`# test accuracy: ORT ${a.toFixed(3)} (${ort.seconds.toFixed(1)} s), wasm ${b.toFixed(3)} (${wasm.seconds.toFixed(1)} s), raw ${baseline.toFixed(3)}`);
  assert.ok(a >= baseline + 0.08, `ORT ${a} vs raw baseline ${baseline}`);
  // Different dropout masks (tfjs uses the distinct-row path here) and float order: not equal, but close.
  assert.ok(Math.abs(a - b) <= 0.03, `ORT ${a} vs wasm ${b}`);
  assert.ok(ort.epochs.at(-1)!.loss < ort.epochs[0].loss, 'training loss decreases');
});

test('cancelling ORT training mid-run rejects with AbortError and leaves the process alive', { skip }, async () => {
  const ac = new AbortController();
  let abortedAt = 0;
  const run = trainEncoder({
    dim: DIM,
    features,
    train,
    options: { ...options, epochs: 1000, backend: 'onnxruntime' },
    signal: ac.signal,
    onProgress: (p) => {
      if (!abortedAt && p.batch >= 2) {
        abortedAt = performance.now();
        ac.abort();
      }
    },
  });
  await assert.rejects(run, (err: Error) => err.name === 'AbortError');
  assert.ok(abortedAt > 0, 'training had started');
  assert.ok(performance.now() - abortedAt < 2000, `rejected ${performance.now() - abortedAt} ms after abort`);
  // Still here, and ORT trains again in a fresh worker.
  const again = await trainEncoder({ dim: DIM, features, train: train.slice(0, 64), options: { ...options, epochs: 1, backend: 'onnxruntime' } });
  assert.equal(again.epochs.length, 1);
});
