// embed cancelled part way (Ctrl-C or the job bar's Cancel) and run again (issue 12.4): the batches
// written before the cancel stay, the second run computes exactly the images still missing (none
// twice: computed + cached = all), every image then has one vector, and the store is intact. A kill
// without cleanup is tested through the CLI in test/main/cli/embed-kill.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { featureKey, loadFeatures } from '../../../src/main/project/features.js';
import { Project } from '../../../src/main/project/project.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const root = mkdtempSync(join(tmpdir(), 'ts-embed-resume-'));
const saved = { b: process.env.TRIPLET_STUDIO_BACKBONES, d: process.env.TRIPLET_STUDIO_DATA };
after(() => {
  rmSync(root, { recursive: true, force: true });
  for (const [k, v] of [['TRIPLET_STUDIO_BACKBONES', saved.b], ['TRIPLET_STUDIO_DATA', saved.d]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('a cancelled embed keeps its batches and the next one computes only the rest', { skip: skipWithoutBackbone(BACKBONE), timeout: 300_000 }, async () => {
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  process.env.TRIPLET_STUDIO_DATA = join(root, 'data');
  const project = Project.init(join(root, 'p'));
  const total = (await project.importImages(join(flowersDir(), 'images'))).added;
  const rows = () => project.db.prepare('SELECT COUNT(*) FROM feature_cache WHERE backbone = ?').pluck().get(BACKBONE) as number;

  const controller = new AbortController();
  await assert.rejects(
    project.embed(BACKBONE, { signal: controller.signal, onProgress: (p) => void (p.done >= 48 && controller.abort()) }),
    (err: Error) => err.name === 'AbortError',
  );
  const kept = rows();
  assert.ok(kept >= 48 && kept < total, `${kept} of ${total} kept after the cancel`);

  const again = await project.embed(BACKBONE);
  assert.deepEqual([again.computed, again.cached, again.failed.length], [total - kept, kept, 0]);
  assert.equal(rows(), total);
  assert.equal(project.db.pragma('integrity_check', { simple: true }), 'ok');
  // One vector per image, each 768 finite values; a third run has nothing to do.
  const features = loadFeatures(project.db, featureKey(BACKBONE));
  assert.equal(features.size, total);
  for (const v of features.values()) assert.ok(v.length === 768 && v.every(Number.isFinite));
  assert.deepEqual([(await project.embed(BACKBONE)).computed], [0]);
  project.close();
});
