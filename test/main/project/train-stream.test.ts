// Large sets train from a run-scoped SQLite scratch store (project/train-stream.ts,
// ml/encoder/sources/sqlite.ts): the run says so and produces a model, edits made while it trains
// do not reach it (same weights as an undisturbed run), and the scratch file is gone after a
// finished and a cancelled run; a crashed run's file is removed when the project opens. The
// threshold is lowered through TRIPLET_STUDIO_STREAM_MIN_TRIPLETS so the sets stay small.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { seededRandom } from '../../../src/main/ml/encoder/rng.js';
import { Project } from '../../../src/main/project/project.js';
import { loadRunEncoder, modelDirOf } from '../../../src/main/project/runs.js';
import { STREAM_MIN_TRIPLETS } from '../../../src/main/project/train-stream.js';
import { scratchDirOf } from '../../../src/main/store/scratch-triplets.js';
import type { TrainOptions } from '../../../src/shared/types.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { addFeatureImages, addImportedTriplets } from '../../helpers/synthetic-project.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const DIM = 16;
const root = mkdtempSync(join(tmpdir(), 'ts-train-stream-'));
const saved = { backbones: process.env.TRIPLET_STUDIO_BACKBONES, min: process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS };
const OPTIONS: Partial<TrainOptions> = { epochs: 2, seed: 4, backend: 'wasm', ensemble: 1, hidden: 16, embedding: 4, validationSplit: 0.2 };

before(() => {
  if (!skip) process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS = '2000';
});

after(() => {
  for (const [k, v] of [['TRIPLET_STUDIO_BACKBONES', saved.backbones], ['TRIPLET_STUDIO_STREAM_MIN_TRIPLETS', saved.min]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

/** A project of `images` 16-d images in 5 classes and `count` class-consistent train triplets (+200 test); image 9 has no features. */
function makeProject(name: string, images: number, count: number): Project {
  const rand = seededRandom(11);
  const features = Float32Array.from({ length: images * DIM }, (_, k) => (Math.floor(k / DIM) % 5 === k % DIM % 5 ? 1 : 0) + rand());
  const triplets = new Int32Array(3 * (count + 200));
  for (let t = 0; t < count + 200; ) {
    const [a, p, n] = [0, 0, 0].map(() => Math.floor(rand() * images));
    if (a === p || a % 5 !== p % 5 || a % 5 === n % 5) continue;
    triplets.set([a, p, n], 3 * t++);
  }
  const project = Project.init(join(root, name));
  addFeatureImages(project, BACKBONE, features, DIM, new Set([9]));
  addImportedTriplets(project, 'train', triplets.subarray(0, 3 * count), 1);
  addImportedTriplets(project, 'test', triplets.subarray(3 * count), count + 1);
  return project;
}

const scratchFiles = (p: Project) => (existsSync(scratchDirOf(p.dir)) ? readdirSync(scratchDirOf(p.dir)) : []);
const weightsOf = (w: { weights: { name: string; data: Float32Array }[] }) => w.weights.map((x) => [x.name, Array.from(x.data)]);

test('a set above the threshold trains from SQLite: a model, the same one whatever is edited while it trains, no scratch file left', { skip, timeout: 180_000 }, async () => {
  assert.ok(STREAM_MIN_TRIPLETS > 3000, 'the default keeps sets of this size in memory');
  const project = makeProject('stream', 200, 3000);
  try {
    const clean = await project.train(OPTIONS);
    assert.equal(clean.status, 'finished');
    assert.equal(clean.tripletSource, 'sqlite');
    assert.equal(clean.validation?.tripletSource, 'sqlite');
    assert.ok((clean.leftOut?.trainCount ?? 0) > 0, 'image 9 left out its triplets');
    assert.equal(clean.trainCount + clean.valCount + (clean.validation?.unused ?? 0), 3000 - clean.leftOut!.trainCount);
    assert.ok(clean.valCount > 0 && clean.testAccuracy !== null);
    assert.deepEqual(scratchFiles(project), [], 'scratch file removed after the run');

    // The same run again, with edits (swaps, exclusions, a new triplet) made once training has started.
    let sawScratch = 0;
    let edited = false;
    const disturbed = await project.train(OPTIONS, {
      onProgress: (p) => {
        if (p.phase !== 'train' || edited) return;
        edited = true;
        sawScratch = scratchFiles(project).length;
        project.db.prepare(`UPDATE triplets SET positive_id = negative_id, negative_id = positive_id WHERE split = 'train' AND id % 2 = 0`).run();
        project.db.prepare(`UPDATE triplets SET status = 'excluded' WHERE split = 'train' AND id % 3 = 0`).run();
      },
    });
    assert.ok(edited);
    assert.equal(sawScratch, 1, 'the run trained from its scratch file');
    assert.equal(disturbed.tripletSource, 'sqlite');
    assert.equal(disturbed.trainCount, clean.trainCount);
    const [a, b] = await Promise.all([clean, disturbed].map((r) => loadRunEncoder(project.dir, r.id, modelDirOf(r.id))));
    assert.deepEqual(weightsOf(b), weightsOf(a), 'the edits did not reach the run');
    assert.deepEqual(scratchFiles(project), []);

    // After the edits, a run sees them (so the comparison above could tell); below the threshold it trains in memory.
    const later = await project.train(OPTIONS);
    assert.equal(later.tripletSource, 'sqlite', 'exactly 2,000 active triplets: at the threshold');
    assert.ok(later.trainCount < clean.trainCount);
    assert.notDeepEqual(weightsOf(await loadRunEncoder(project.dir, later.id, modelDirOf(later.id))), weightsOf(a));
    // Validate, then refit on every training triplet: both passes stream from the one scratch file.
    const refit = await project.train({ ...OPTIONS, refit: true });
    assert.deepEqual([refit.status, refit.tripletSource], ['finished', 'sqlite']);
    assert.deepEqual(scratchFiles(project), []);
    process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS = '2001';
    try {
      const small = await project.train(OPTIONS);
      assert.equal(small.tripletSource, 'memory');
      // The same hold-out either way (rows numbered by first use, the same draws: sources/sqlite.ts).
      assert.deepEqual([small.trainCount, small.valCount, small.validation?.unused], [later.trainCount, later.valCount, later.validation?.unused]);
    } finally {
      process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS = '2000';
    }
  } finally {
    project.close();
  }
});

test('a cancelled streamed run leaves no scratch file; a crashed run\'s file is removed when the project opens', { skip, timeout: 180_000 }, async () => {
  const project = makeProject('cancel', 200, 3000);
  const dir = project.dir;
  try {
    const ac = new AbortController();
    let seen = 0;
    await assert.rejects(
      project.train({ ...OPTIONS, epochs: 50 }, { signal: ac.signal, onProgress: (p) => p.phase === 'train' && ((seen = scratchFiles(project).length), ac.abort()) }),
      { name: 'AbortError' },
    );
    assert.equal(seen, 1, 'it was streaming');
    assert.equal(project.runs().at(-1)!.status, 'cancelled');
    assert.deepEqual(scratchFiles(project), []);
  } finally {
    project.close();
  }
  // A crashed process's file (its pid cannot exist: above Linux's pid_max) and a live process's (pid 1).
  mkdirSync(scratchDirOf(dir), { recursive: true });
  writeFileSync(join(scratchDirOf(dir), 'train-4194305-123-1-0.sqlite'), 'x');
  writeFileSync(join(scratchDirOf(dir), 'train-1-x-1-0.sqlite'), 'x');
  const reopened = Project.open(dir);
  try {
    assert.deepEqual(scratchFiles(reopened), ['train-1-x-1-0.sqlite'], 'the stale file is gone, the live one kept');
  } finally {
    reopened.close();
  }
});
