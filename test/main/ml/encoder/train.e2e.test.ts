// End to end on the shared flowers set with the shared MobileNet: features → train (defaults) → test accuracy.
// Features are extracted once for the whole file; the cancel tests reuse them.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { type FlowersImage, flowersTriplets } from '../../../helpers/flowers-triplets.js';
import { sharedModelsDir, skipWithoutShared } from '../../../helpers/shared.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/main/ml/defaults.js';
import { embedFeatures } from '../../../../src/main/ml/encoder/model.js';
import { extractFeatures } from '../../../../src/main/ml/features/extract.js';
import { l2normalize, scoreTriplets, tripletAccuracy, type Triplet } from '../../../../src/main/ml/encoder/distances.js';
import { trainEncoder } from '../../../../src/main/ml/encoder/train.js';

const skip = skipWithoutShared();
const BACKBONE = 'mobilenet_v1_0.75_224';
const DIM = 768;

const images: FlowersImage[] = [];
const features = new Map<number, Float32Array>();
let train: [number, number, number][] = [];
let testTriplets: Triplet[] = [];

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const set = flowersTriplets();
  images.push(...set.images);
  train = set.train;
  testTriplets = set.test;
});

test('extracts MobileNet features for the 300 flowers, in order, in batches', { skip }, async () => {
  const seen: number[] = [];
  let lastProgress = 0;
  let batches = 0;
  const r = await extractFeatures({
    backbone: BACKBONE,
    images,
    onBatch: (rows) => {
      batches++;
      for (const row of rows) {
        assert.equal(row.features.length, DIM);
        features.set(row.id, new Float32Array(row.features));
        seen.push(row.id);
      }
    },
    onProgress: (done) => (lastProgress = done),
  });
  assert.deepEqual(seen, images.map((im) => im.id), 'rows arrive in input order');
  assert.ok(batches > 1);
  assert.equal(lastProgress, 300);
  assert.equal(r.extracted, 300);
  assert.ok(r.engine.length > 0);
  assert.equal(r.backend, 'wasm');
  console.log(`# features: ${(300 / r.seconds).toFixed(1)} images/s with ${r.workers} workers (${r.engine})`);
  // Sanity: post-ReLU averages are non-negative and not all zero.
  const f = features.get(1)!;
  assert.ok(f.every((v) => v >= 0) && f.some((v) => v > 0));
});

test('default training beats the raw-feature baseline by ≥ 0.10 and reaches ≥ 0.88 on test.txt', { skip }, async () => {
  assert.equal(features.size, 300, 'needs the features from the previous test');
  const kind = DEFAULT_TRAIN_OPTIONS.distance;
  const raw = new Map([...features].map(([id, v]) => [id, l2normalize(v)]));
  const baseline = tripletAccuracy(scoreTriplets(raw, testTriplets, kind));

  const epochs: number[] = [];
  let progressCalls = 0;
  const enc = await trainEncoder({
    dim: DIM,
    features,
    train, // test triplets are never given to training
    options: DEFAULT_TRAIN_OPTIONS,
    onProgress: (p) => {
      progressCalls++;
      assert.ok(p.epoch >= 1 && p.epoch <= DEFAULT_TRAIN_OPTIONS.epochs);
    },
    onEpoch: (m) => epochs.push(m.epoch),
  });
  assert.deepEqual(epochs, Array.from({ length: DEFAULT_TRAIN_OPTIONS.epochs }, (_, i) => i + 1));
  assert.ok(progressCalls >= DEFAULT_TRAIN_OPTIONS.epochs);
  if (DEFAULT_TRAIN_OPTIONS.validationSplit === 0) {
    // No hold-out by default (the epoch count was chosen by cross-validation): every triplet trains, the last epoch is kept.
    assert.equal(enc.valCount, 0);
    assert.equal(enc.trainCount, train.length);
    assert.equal(enc.bestEpoch, DEFAULT_TRAIN_OPTIONS.epochs);
  } else {
    assert.equal(enc.trainCount + enc.valCount + enc.unusedCount, train.length);
    const best = enc.epochs[enc.bestEpoch - 1];
    assert.ok(enc.epochs.every((m) => m.valAccuracy < best.valAccuracy || (m.valAccuracy === best.valAccuracy && m.valLoss >= best.valLoss)));
  }

  const ids = [...features.keys()];
  const rows = new Float32Array(ids.length * DIM);
  ids.forEach((id, i) => rows.set(features.get(id)!, i * DIM));
  const emb = embedFeatures(enc, rows, ids.length, DIM);
  const e = emb.length / ids.length; // embedding × ensemble members (their embeddings are joined)
  const vectors = new Map(ids.map((id, i) => [id, emb.subarray(i * e, (i + 1) * e)]));
  const accuracy = tripletAccuracy(scoreTriplets(vectors, testTriplets, kind));
  console.log(`# baseline ${baseline.toFixed(3)}, test ${accuracy.toFixed(3)}, best epoch ${enc.bestEpoch}, ${enc.seconds.toFixed(1)} s on ${enc.backend}`);
  assert.ok(accuracy >= 0.88, `test accuracy ${accuracy}`);
  assert.ok(accuracy >= baseline + 0.1, `test accuracy ${accuracy} vs baseline ${baseline}`);
});

test('aborting training mid-run rejects with AbortError within a second', { skip }, async () => {
  const ac = new AbortController();
  let abortedAt = 0;
  const run = trainEncoder({
    dim: DIM,
    features,
    train,
    options: { ...DEFAULT_TRAIN_OPTIONS, epochs: 1000 },
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
  assert.ok(performance.now() - abortedAt < 1000, `rejected ${performance.now() - abortedAt} ms after abort`);
});

test('feature extraction: a corrupt image is reported and skipped; abort stops it; missing weights say where', { skip }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ts-ml-'));
  try {
    const bad = join(dir, 'broken.jpg');
    await writeFile(bad, Buffer.from('this is not a jpeg'));
    const subset = [images[0], { id: 9999, path: bad }, images[1]];
    const got: number[] = [];
    const errors: [number, string][] = [];
    const tfjsFeatures = new Map<number, Float32Array>();
    // The built-in tfjs-layers engine (another engine, e.g. onnxruntime, may be the default one).
    process.env.TRIPLET_STUDIO_ENGINE = 'tfjs';
    const r = await extractFeatures({
      backbone: BACKBONE,
      images: subset,
      workers: 1,
      onBatch: (rows) => rows.forEach((row) => (got.push(row.id), tfjsFeatures.set(row.id, row.features))),
      onImageError: (id, _path, err) => errors.push([id, err.message]),
    });
    delete process.env.TRIPLET_STUDIO_ENGINE;
    assert.match(r.engine, /^tfjs-layers\//);
    assert.deepEqual(got, [images[0].id, images[1].id]);
    // Same features as the default engine of the first test, to float tolerance.
    for (const id of got) {
      const a = tfjsFeatures.get(id)!;
      const b = features.get(id)!;
      const maxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      assert.ok(maxDiff <= 1e-3 * scale + 1e-4, `image ${id}: engines differ by ${maxDiff} (scale ${scale})`);
    }
    assert.equal(errors.length, 1);
    assert.equal(errors[0][0], 9999);
    assert.match(errors[0][1], /broken\.jpg/);
    assert.equal(r.failed, 1);

    const ac = new AbortController();
    const t0 = performance.now();
    const run = extractFeatures({ backbone: BACKBONE, images, signal: ac.signal, onBatch: () => {}, onProgress: () => ac.abort() });
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    assert.ok(performance.now() - t0 < 30_000);

    process.env.TRIPLET_STUDIO_BACKBONES = dir;
    await assert.rejects(
      extractFeatures({ backbone: BACKBONE, images: subset, onBatch: () => {} }),
      (err: Error & { code?: string }) => err.code === 'MISSING_BACKBONE' && err.message.includes(join(dir, BACKBONE)) && /fetch-backbone/.test(err.message),
    );
  } finally {
    delete process.env.TRIPLET_STUDIO_ENGINE;
    process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
    await rm(dir, { recursive: true, force: true });
  }
});
