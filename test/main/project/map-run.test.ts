// The map after training: the run's encoder is the source (its embedding size), each image's error
// rate is the share of its active test triplets the run predicts wrong (checked against `mistakes`),
// and through StudioService a map is a job with progress that cancels cleanly, then a cache hit
// answers without starting a job.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { base64ToFloat32, base64ToInt32 } from '../../../src/shared/b64.js';
import type { EventName, Events } from '../../../src/shared/ipc.js';
import type { RunSummary } from '../../../src/shared/types.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-map-run-'));
const dir = join(root, 'project');
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
let project: Project;
let run: RunSummary;

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const data = makeFlowersSubset(root, { perClass: 8, seed: 5, trainLines: 80, testLines: 60 });
  project = Project.init(dir);
  await project.importImages(data.images);
  await project.importTriplets(data.train, 'train', { allowLeakage: true });
  await project.importTriplets(data.test, 'test', { allowLeakage: true });
  run = await project.train({ epochs: 2, seed: 1, ensemble: 1 });
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

test('after a run the map shows its encoder, with per-image error rates from its predictions', { skip }, async () => {
  const m = await project.map({ method: 'pca' });
  assert.deepEqual(m.source, { kind: 'run', runId: run.id, backbone: run.options.backbone, dim: run.options.embedding });
  const raw = await project.map({ method: 'pca', source: 'features' });
  assert.equal(raw.source.kind, 'features');
  assert.notEqual(raw.xy, m.xy, 'raw features and the encoder give different maps');

  // Expected: per image, wrong / scored over the active test triplets (each image once per triplet).
  const wrong = new Set((await project.mistakes(run.id)).map((x) => x.tripletId));
  const test = project.listTriplets({ split: 'test', status: 'active', limit: 5000 }).items;
  const tally = new Map<number, { wrong: number; total: number }>();
  for (const t of test) {
    for (const id of new Set([t.anchorId, t.positiveId, t.negativeId])) {
      const e = tally.get(id) ?? { wrong: 0, total: 0 };
      e.total++;
      if (wrong.has(t.id)) e.wrong++;
      tally.set(id, e);
    }
  }
  assert.ok(wrong.size > 0 && wrong.size < test.length, `a run with some mistakes (${wrong.size} of ${test.length})`);
  const after = project.cachedMap({ method: 'pca' })!;
  const ids = base64ToInt32(after.ids);
  const rates = base64ToFloat32(after.errorRate);
  ids.forEach((id, i) => {
    const e = tally.get(id);
    if (!e) assert.ok(Number.isNaN(rates[i]), `image ${id} has no test triplet`);
    else assert.ok(Math.abs(rates[i] - e.wrong / e.total) < 1e-6, `image ${id}: ${rates[i]} vs ${e.wrong}/${e.total}`);
  });
  // The raw-feature map is coloured by the latest run's mistakes too.
  assert.equal(project.cachedMap({ method: 'pca', source: 'features' })!.errorRate, after.errorRate);
});

test('service: a map is a job with progress and cancel; a cache hit starts no job', { skip }, async () => {
  const events: { e: EventName; p: unknown }[] = [];
  const service = new StudioService({ dataDir: join(root, 'data'), emit: <E extends EventName>(e: E, p: Events[E]) => void events.push({ e, p }) });
  try {
    service.openProject({ dir });
    const first = service.mapProjection({ method: 'umap', source: 'features' });
    // Cancel once the job reports progress.
    for (let i = 0; i < 600 && !events.some((x) => x.e === 'job:progress'); i++) await new Promise((r) => setTimeout(r, 50));
    const progress = events.find((x) => x.e === 'job:progress')!.p as Events['job:progress'];
    assert.equal(progress.kind, 'map');
    assert.equal(service.cancelJob({ jobId: progress.jobId }), true);
    await assert.rejects(first);
    const failed = events.find((x) => x.e === 'job:failed')!.p as Events['job:failed'];
    assert.equal(failed.cancelled, true);

    const done = await service.mapProjection({ method: 'umap', source: 'features' });
    assert.equal(done.count, 40);
    assert.equal(done.cached, false);
    const phases = new Set(events.filter((x) => x.e === 'job:progress').map((x) => (x.p as Events['job:progress']).phase));
    assert.ok(phases.has('layout'), `UMAP epochs reported: ${[...phases]}`);
    const jobDone = events.find((x) => x.e === 'job:done')!.p as Events['job:done'];
    assert.deepEqual(jobDone.result, { count: 40 }, 'job:done carries the size, not the map');

    const before = events.length;
    const again = await service.mapProjection({ method: 'umap', source: 'features' });
    assert.equal(again.cached, true);
    assert.equal(again.xy, done.xy);
    assert.equal(events.length, before, 'no job for a cache hit');
  } finally {
    await service.dispose();
  }
});

test('service: requests racing for a map join the same job or replace it, never BUSY', { skip }, async () => {
  const events: { e: EventName; p: unknown }[] = [];
  const service = new StudioService({ dataDir: join(root, 'data-race'), emit: <E extends EventName>(e: E, p: Events[E]) => void events.push({ e, p }) });
  try {
    project.db.exec('DELETE FROM map_projections'); // nothing cached: every request below needs a job
    service.openProject({ dir });
    // The same request twice (a view's reload racing its first load): one job, one map.
    const a = service.mapProjection({ method: 'umap', source: 'features', computeFeatures: true });
    const b = service.mapProjection({ method: 'umap', source: 'features' });
    const [ma, mb] = await Promise.all([a, b]);
    assert.equal(ma, mb);
    assert.equal(events.filter((x) => x.e === 'job:done').length, 1, 'one map job');

    // Other requests while one runs (new choices): the latest is answered, the ones it replaced are cancelled.
    const doneJob = (events.find((y) => y.e === 'job:done')!.p as Events['job:done']).jobId;
    const first = service.mapProjection({ method: 'umap', runId: run.id });
    for (let i = 0; i < 600 && !events.some((x) => x.e === 'job:progress' && (x.p as Events['job:progress']).jobId !== doneJob); i++) await new Promise((r) => setTimeout(r, 20));
    const second = service.mapProjection({ method: 'pca', source: 'features' });
    const third = service.mapProjection({ method: 'pca', runId: run.id });
    const [r1, r2, r3] = await Promise.allSettled([first, second, third]);
    assert.equal(r1.status, 'rejected');
    assert.equal((r1 as PromiseRejectedResult).reason?.name, 'AbortError');
    assert.equal(r2.status, 'rejected');
    assert.equal((r2 as PromiseRejectedResult).reason?.name, 'AbortError');
    assert.equal(r3.status, 'fulfilled', String((r3 as PromiseRejectedResult).reason));
    assert.equal((r3 as PromiseFulfilledResult<{ method: string }>).value.method, 'pca');
    assert.ok(!events.some((x) => x.e === 'job:failed' && (x.p as Events['job:failed']).error.code === 'BUSY'));
  } finally {
    await service.dispose();
  }
});
