// How triplets reach training (project/train-input.ts, store/triplet-columns.ts): a small set trains
// exactly as through the old read path (objects → flat ids → packTraining), bit for bit; a large-ish
// set (50,000 triplets) trains on its snapshot in capped epochs that draw the planned count of the
// snapshot's training triplets and never a held-out image. Stores are filled directly (no photos,
// 16-d features under the MobileNet key), so the runs are quick.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/ml/defaults.js';
import { fitEncoder } from '../../../src/main/ml/encoder/fit.js';
import { splitByImages } from '../../../src/main/ml/encoder/holdout.js';
import { seededRandom } from '../../../src/main/ml/encoder/rng.js';
import { distinctImages, epochPlan } from '../../../src/main/ml/encoder/schedule.js';
import { flatTriplets, packTraining, trainEncoder } from '../../../src/main/ml/index.js';
import { featureKey, loadFeatures } from '../../../src/main/project/features.js';
import { loadRunEncoder, modelDirOf } from '../../../src/main/project/runs.js';
import { Project } from '../../../src/main/project/project.js';
import { prepareTraining } from '../../../src/main/project/train-input.js';
import { readTransaction } from '../../../src/main/store/db.js';
import { activeTripletColumns } from '../../../src/main/store/triplet-columns.js';
import { activeTripletsOf } from '../../../src/main/store/triplets.js';
import type { TrainOptions } from '../../../src/shared/types.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { addFeatureImages, addImportedTriplets } from '../../helpers/synthetic-project.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const DIM = 16;
const root = mkdtempSync(join(tmpdir(), 'ts-train-input-'));
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;

before(() => {
  if (!skip) process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
});

after(() => {
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

/** `images` 16-d features in `classes` clusters (image i in class i % classes) and `count` class-consistent triplets over images [0, over). */
function synthetic(images: number, classes: number, count: number, over: number, seed: number): { features: Float32Array; triplets: Int32Array } {
  const rand = seededRandom(seed);
  const features = Float32Array.from({ length: images * DIM }, (_, k) => (Math.floor(k / DIM) % classes === k % DIM % classes ? 1 : 0) + rand());
  const triplets = new Int32Array(3 * count);
  for (let t = 0; t < count; ) {
    const [a, p, n] = [0, 0, 0].map(() => Math.floor(rand() * over));
    if (a === p || a % classes !== p % classes || a % classes === n % classes) continue;
    triplets.set([a, p, n], 3 * t++);
  }
  return { features, triplets };
}

function makeProject(name: string, images: number, trainCount: number, seed: number, withoutFeatures = new Set<number>()): Project {
  const project = Project.init(join(root, name));
  const { features, triplets } = synthetic(images, 5, trainCount + 200, images, seed);
  addFeatureImages(project, BACKBONE, features, DIM, withoutFeatures);
  addImportedTriplets(project, 'train', triplets.subarray(0, 3 * trainCount), 1);
  addImportedTriplets(project, 'test', triplets.subarray(3 * trainCount), trainCount + 1);
  return project;
}

const weightsOf = (w: { weights: { name: string; data: Float32Array }[] }) => w.weights.map((x) => [x.name, Array.from(x.data)]);

test('a small set trains bit for bit as through the old read path (objects, flat ids, packTraining)', { skip, timeout: 120_000 }, async () => {
  // 600 train triplets over 80 images; image 7 has no features (its triplets are left out); some excluded.
  const project = makeProject('small', 80, 600, 3, new Set([7]));
  try {
    project.db.prepare(`UPDATE triplets SET status = 'excluded' WHERE split = 'train' AND id % 17 = 0`).run();
    for (const over of [{}, { validationSplit: 0.3, ensemble: 1 }] as Partial<TrainOptions>[]) {
      const run = await project.train({ epochs: 3, seed: 5, backend: 'wasm', ...over });
      assert.equal(run.status, 'finished');
      const key = featureKey(BACKBONE);
      // The old path: one object per triplet, filtered, flattened, packed inside trainEncoder.
      const objects = activeTripletsOf(project.db, 'train');
      const features = loadFeatures(project.db, key, new Set(objects.flatMap((t) => [t.a, t.p, t.n])));
      const usable = objects.filter((t) => features.has(t.a) && features.has(t.p) && features.has(t.n));
      assert.ok(usable.length < objects.length, 'some triplets are left out');
      assert.equal(run.leftOut?.trainCount, objects.length - usable.length);
      const old = await trainEncoder({ dim: DIM, features, train: flatTriplets(usable), options: run.options });
      const saved = await loadRunEncoder(project.dir, run.id, modelDirOf(run.id));
      assert.deepEqual(weightsOf(saved), weightsOf(old), `same weights (${JSON.stringify(over)})`);
      assert.equal(run.trainCount, old.trainCount);
    }
    // Packed input is handed over to the worker, not copied: the caller's arrays are detached afterwards.
    const objects = activeTripletsOf(project.db, 'train').filter((t) => t.a !== 8 && t.p !== 8 && t.n !== 8);
    const packed = packTraining(DIM, loadFeatures(project.db, featureKey(BACKBONE)), flatTriplets(objects));
    assert.ok(packed.features.length > 0);
    await trainEncoder({ dim: DIM, packed, options: { ...DEFAULT_TRAIN_OPTIONS, backend: 'wasm', epochs: 1, seed: 1, ensemble: 1 } });
    assert.deepEqual([packed.features.length, packed.triplets.length], [0, 0], 'moved, not copied');
  } finally {
    project.close();
  }
});

test('a 50,000-triplet set trains on its snapshot: capped epochs of the planned size, snapshot triplets only, no held-out image', { skip, timeout: 180_000 }, async () => {
  const project = makeProject('large', 1000, 50_000, 4);
  try {
    const key = featureKey(BACKBONE);
    const snap = readTransaction(project.db, () => ({ train: activeTripletColumns(project.db, 'train'), test: activeTripletsOf(project.db, 'test') }));
    const prepared = prepareTraining(project.db, key, snap.train, snap.test, []);
    assert.equal(prepared.count, 50_000);
    // Rows are numbered by first use (packTraining): map them back to image ids.
    const imageOfRow: number[] = [];
    const seen = new Set<number>();
    for (const id of snap.train.abc) if (!seen.has(id)) (seen.add(id), imageOfRow.push(id));
    const snapshotKeys = new Set<string>();
    for (let i = 0; i < snap.train.abc.length; i += 3) snapshotKeys.add(String(snap.train.abc.subarray(i, i + 3)));
    // Edits after the snapshot do not reach it (the run's own triplets were read in one transaction).
    project.db.prepare(`UPDATE triplets SET status = 'excluded' WHERE split = 'train' AND id <= 5000`).run();

    await initBackend('wasm');
    const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, backend: 'wasm', epochs: 3, seed: 9, ensemble: 1, validationSplit: 0.2, hidden: 16, embedding: 4 };
    const split = splitByImages(prepared.packed.triplets, options.validationSplit, seededRandom(options.seed!)); // fitEncoder's first draw
    const plan = epochPlan(split.train.length, distinctImages(prepared.packed.triplets, split.train), options);
    assert.equal(plan.full, false, 'capped epochs');
    const held = new Set<number>();
    for (const i of split.val) for (let k = 0; k < 3; k++) held.add(prepared.packed.triplets[3 * i + k]);
    const trainable = new Set(split.train);
    const drawn = new Set<number>();
    let epochs = 0;
    const result = await fitEncoder(
      { dim: prepared.dim, ...prepared.packed, options },
      {
        onEpochTriplets: (_epoch, e) => {
          epochs++;
          assert.equal(e.own.length, plan.perEpoch, 'the planned count of the user triplets');
          for (const t of e.own) {
            assert.ok(trainable.has(t), `triplet ${t} is a training triplet`);
            assert.ok(!drawn.has(t), 'every triplet once before any twice');
            drawn.add(t);
            const rows = prepared.packed.triplets.subarray(3 * t, 3 * t + 3);
            assert.ok(snapshotKeys.has(String(Int32Array.from(rows, (r) => imageOfRow[r]!))), 'a triplet of the snapshot');
          }
          for (const t of e.order) for (let k = 0; k < 3; k++) assert.ok(!held.has(e.triplets[3 * t + k]), 'no held-out image is trained on');
          assert.equal(e.order.length, 2 * plan.perEpoch, 'own + as many derived');
        },
      },
    );
    assert.equal(epochs, 3);
    assert.equal(result.tripletsPerEpoch, plan.perEpoch);
    assert.equal(result.trainCount + result.valCount + result.unusedCount, 50_000);
  } finally {
    project.close();
  }
});

test('a run records its snapshot: train edits made while it trains change neither its count nor its left-out record', { skip, timeout: 180_000 }, async () => {
  const project = makeProject('edits', 300, 5_000, 6, new Set([11]));
  try {
    let edited = false;
    const run = await project.train(
      { epochs: 2, seed: 2, backend: 'wasm', ensemble: 1, hidden: 16, embedding: 4 },
      {
        onProgress: (p) => {
          if (p.phase !== 'train' || edited) return;
          edited = true;
          project.db.prepare(`UPDATE triplets SET status = 'excluded' WHERE split = 'train' AND id <= 1000`).run();
        },
      },
    );
    assert.ok(edited);
    const before = 5_000 - (run.leftOut?.trainCount ?? 0);
    assert.ok((run.leftOut?.trainCount ?? 0) > 0, 'image 11 left out its triplets');
    assert.equal(run.trainCount, before, 'trained on the snapshot taken at the start');
    assert.equal(run.leftOut?.train.length, run.leftOut?.trainCount, 'listed with their ids and lines');
    assert.ok(run.leftOut?.train.every((t) => typeof t.id === 'number' && typeof t.line === 'number'));
  } finally {
    project.close();
  }
});
