// The review loop on a small real run: mistakes name their source file and line, review decisions
// ("keep", "ambiguous") survive re-evaluation, and fixesSince counts the train/test triplets edited
// after the run started (what "Retrain with my fixes" offers).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Project } from '../../../src/main/project/project.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-review-loop-'));
let project: Project;
let testFile = '';
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const data = makeFlowersSubset(root, { perClass: 4, seed: 5, trainLines: 60, testLines: 40, testHeader: '# held out\n' });
  testFile = data.test;
  project = Project.init(join(root, 'project'));
  await project.importImages(data.images);
  await project.importTriplets(data.train, 'train');
  await project.importTriplets(data.test, 'test', { allowLeakage: true });
  await project.train({ epochs: 1, seed: 1 });
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

test('mistakes name the real source file and line of each triplet', { skip }, async () => {
  const mistakes = await project.mistakes();
  assert.ok(mistakes.length >= 2, `${mistakes.length} mistakes (need two to review)`);
  for (const m of mistakes) {
    assert.equal(m.file, resolve(testFile));
    const stored = project.db.prepare('SELECT line FROM triplets WHERE id = ?').pluck().get(m.tripletId);
    assert.equal(m.line, stored);
    assert.ok(m.line! >= 2, 'the header line shifts every line by one');
  }
});

test('keep and ambiguous decisions persist across re-evaluation; fixesSince counts edits after the run', { skip }, async () => {
  assert.deepEqual(project.fixesSince(), { run: project.info().latestRun, train: 0, test: 0 });
  const [first, second] = await project.mistakes();
  project.editTriplet(first.tripletId, { kind: 'review', review: 'keep' });
  project.editTriplet(second.tripletId, { kind: 'review', review: 'ambiguous' });
  await project.evaluate();
  const after = await project.mistakes();
  const kept = after.find((m) => m.tripletId === first.tripletId);
  assert.equal(kept?.review, 'keep', 'a kept mistake is still listed, with its decision');
  assert.equal(after.some((m) => m.tripletId === second.tripletId), false, 'an ambiguous one is excluded, so no longer a mistake');
  assert.equal(project.listTriplets({ split: 'test', status: 'excluded' }).items.find((t) => t.id === second.tripletId)?.review, 'ambiguous');

  // A keep does not change labels but is an edit of a test triplet; a train edit is what retraining needs.
  assert.deepEqual(project.fixesSince(), { run: project.info().latestRun, train: 0, test: 2 });
  const trainTriplet = project.listTriplets({ split: 'train', limit: 1 }).items[0];
  project.editTriplet(trainTriplet.id, { kind: 'swap' });
  assert.equal(project.fixesSince()!.train, 1);
  project.undo();
  assert.equal(project.fixesSince()!.train, 0, 'an undone edit does not count');
  // Its images are used by other train triplets: in test it leaks, so the move is asked for as the app's "Move anyway" does.
  assert.throws(() => project.editTriplet(trainTriplet.id, { kind: 'move', split: 'test' }), { code: 'CONFLICT', details: { leak: true } });
  project.editTriplet(trainTriplet.id, { kind: 'move', split: 'test', allowLeakage: true });
  assert.deepEqual(project.fixesSince(), { run: project.info().latestRun, train: 1, test: 3 }, 'a move counts on both sides');
});
