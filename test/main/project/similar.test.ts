// Similarity search on a slice of the flowers photos: exact against a brute-force reference in both
// spaces (a run's encodings, raw features), the query left out, an outside file (path or bytes)
// featurised like the project's images, and the CLI's `neighbours --json` shape.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nearestNaive } from '../../../src/main/ml/search/knn.js';
import { featureKey, loadFeatures, prepOfRun } from '../../../src/main/project/features.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { createDispatcher } from '../../../src/main/ipc/dispatch.js';
import type { SimilarReply } from '../../../src/shared/types.js';
import { embedAll, normalizedAll } from '../../../src/main/project/run-scoring.js';
import { loadRunEncoder, modelDirOf } from '../../../src/main/project/runs.js';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const root = mkdtempSync(join(tmpdir(), 'ts-similar-'));
let project: Project;
let runId = 0;
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const data = makeFlowersSubset(root, { perClass: 4, seed: 3, trainLines: 60, testLines: 10 });
  project = Project.init(join(root, 'project'));
  await project.importImages(data.images);
  await project.importTriplets(data.train, 'train');
  await project.importTriplets(data.test, 'test', { allowLeakage: true });
  runId = (await project.train({ epochs: 2, seed: 1, ensemble: 2, distance: 'l1' })).id;
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

const idOf = (name: string) => project.listImages({ search: name }).items.find((i) => i.name === name)!.id;

/** Every image's vector in the run's space (the ensemble's joined encodings) and in the raw space. */
async function reference(raw: boolean): Promise<Map<number, Float32Array>> {
  const run = project.runs().find((r) => r.id === runId)!;
  const feats = loadFeatures(project.db, featureKey(BACKBONE, prepOfRun(run.options)));
  if (raw) return normalizedAll(feats);
  return embedAll(await loadRunEncoder(project.dir, runId, modelDirOf(runId)), feats);
}

test('neighbours by the run = brute force over the ensemble encodings (l1), query left out', { skip }, async () => {
  const vectors = await reference(false);
  assert.equal(vectors.values().next().value!.length, 20, 'two members × 10-d, joined');
  for (const id of [...vectors.keys()].slice(0, 5)) {
    const r = await project.similar({ imageId: id }, { k: 7 });
    assert.deepEqual([r.run, r.distance, r.dim], [runId, 'l1', 20]);
    const want = nearestNaive(vectors, vectors.get(id)!, 7, 'l1', new Set([id]));
    assert.deepEqual(r.neighbours.map((n) => n.image.id), want.map((h) => h.id));
    r.neighbours.forEach((n, i) => assert.equal(n.distance, want[i].distance));
    assert.ok(!r.neighbours.some((n) => n.image.id === id));
  }
});

test('neighbours by raw features = brute force (l2 on normalised features); k beyond the set', { skip }, async () => {
  const vectors = await reference(true);
  const id = [...vectors.keys()][3];
  const r = await project.similar({ imageId: id }, { k: 500, raw: true });
  assert.deepEqual([r.run, r.distance, r.dim], [null, 'l2', 768]);
  const want = nearestNaive(vectors, vectors.get(id)!, 500, 'l2', new Set([id]));
  assert.equal(r.neighbours.length, 19);
  assert.deepEqual(r.neighbours.map((n) => [n.image.id, n.distance]), want.map((h) => [h.id, h.distance]));
});

test('an outside file identical to an image finds that image at distance ~0 (features computed afresh)', { skip }, async () => {
  const img = project.listImages({ limit: 1 }).items[0];
  const copy = join(root, 'outside.jpg');
  copyFileSync(project.mediaPath('image', img.id)!, copy);
  const before = project.info().images;
  for (const raw of [false, true]) {
    const byPath = await project.similar({ file: copy }, { k: 3, raw, fresh: true });
    assert.equal(byPath.neighbours[0].image.id, img.id);
    assert.ok(byPath.neighbours[0].distance < 1e-4, `distance ${byPath.neighbours[0].distance}`);
    const byBytes = await project.similar({ bytes: readFileSync(copy) }, { k: 3, raw });
    assert.equal(byBytes.neighbours[0].image.id, img.id);
    assert.ok(byBytes.neighbours[0].distance < 1e-4);
  }
  assert.equal(project.info().images, before, 'the outside file is not added');
});

test('outside bytes that are not an image, or too large, are refused', { skip }, async () => {
  await assert.rejects(project.similar({ bytes: Buffer.from('hello, not an image') }), { code: 'INVALID_FILE' });
  const fake = Buffer.alloc(800 * 1024);
  fake.set([0xff, 0xd8, 0xff]);
  await assert.rejects(project.similar({ bytes: fake }), { code: 'TOO_LARGE' });
  const broken = join(root, 'broken.jpg');
  writeFileSync(broken, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]));
  await assert.rejects(project.similar({ file: broken }), (e: Error & { code?: string }) => e.code === 'INVALID_FILE' && e.message.includes('broken.jpg'));
});

test('CLI neighbours --json: [{name, distance}] ascending, by name or by outside path', { skip }, async () => {
  const run = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const first = project.listImages({ limit: 1 }).items[0];
  const r = await run('neighbours', project.dir, first.name, '--k', '5', '--json');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; distance: number }[];
  assert.equal(rows.length, 5);
  for (const row of rows) assert.deepEqual(Object.keys(row), ['name', 'distance']);
  assert.ok(rows.every((x, i) => i === 0 || rows[i - 1].distance <= x.distance));
  assert.ok(!rows.some((x) => x.name === first.name));
  const api = await project.similar({ imageId: idOf(first.name) }, { k: 5 });
  assert.deepEqual(rows.map((x) => x.name), api.neighbours.map((n) => n.image.name));
  const out = await run('neighbours', project.dir, join(root, 'outside.jpg'), '--raw', '--k', '2', '--json');
  assert.equal(out.code, 0, out.stderr);
  assert.equal(JSON.parse(out.stdout).length, 2);
  const bad = await run('neighbours', project.dir, 'no-such-image.jpg', '--json');
  assert.equal(bad.code, 1);
  assert.match(JSON.parse(bad.stdout).error.message, /unknown image "no-such-image.jpg"/);
});

test('the app request: a dropped file as base64 through dispatch; oversized bytes refused by the schema', { skip }, async () => {
  const service = new StudioService({ dataDir: join(root, 'svc'), emit: () => undefined });
  const dispatcher = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null });
  const sender = { transport: 'socket', authenticated: true } as const;
  const open = await dispatcher.dispatch('openProject', { dir: project.dir }, sender);
  assert.ok(open.ok);
  try {
    const img = project.listImages({ limit: 1 }).items[0];
    const base64 = readFileSync(project.mediaPath('image', img.id)!).toString('base64');
    const r = await dispatcher.dispatch('similar', { query: { kind: 'bytes', base64, name: 'drop.jpg' }, k: 2 }, sender);
    assert.ok(r.ok, JSON.stringify(r));
    const reply = (r as { value: SimilarReply }).value;
    assert.equal(reply.neighbours[0].image.id, img.id);
    assert.equal(reply.run, runId);
    const byId = await dispatcher.dispatch('similar', { query: { kind: 'image', id: img.id }, k: 3, raw: true }, sender);
    assert.ok(byId.ok && (byId.value as SimilarReply).neighbours.every((n) => n.image.id !== img.id));
    const big = await dispatcher.dispatch('similar', { query: { kind: 'bytes', base64: 'A'.repeat(1_000_000) } }, sender);
    assert.equal(!big.ok && big.error.code, 'BAD_ARGUMENTS');
    const text = await dispatcher.dispatch('similar', { query: { kind: 'bytes', base64: Buffer.from('not an image').toString('base64'), name: 'notes.txt' } }, sender);
    assert.ok(!text.ok && text.error.code === 'INVALID_FILE' && text.error.message.includes('notes.txt'), JSON.stringify(text));
  } finally {
    service.closeProject();
  }
});

test('a large set is scanned by worker threads with the same answers; concurrent searches both answer', { skip }, async () => {
  const { vectorSetOf, SHARED_FROM_BYTES } = await import('../../../src/main/ml/search/knn.js');
  // Replicate the raw vectors until the set passes the shared-memory threshold.
  const vectors = await reference(true);
  const big = new Map<number, Float32Array>();
  const copies = Math.ceil(SHARED_FROM_BYTES / (vectors.size * 768 * 4));
  for (let c = 0; c < copies; c++) for (const [id, v] of vectors) big.set(c * 1_000_000 + id, v);
  const set = vectorSetOf(big);
  assert.ok(set.data.buffer instanceof SharedArrayBuffer);
  const { ScanPool } = await import('../../../src/main/ml/search/scan-pool.js');
  const pool = new ScanPool(set, 2);
  try {
    const q = vectors.values().next().value!;
    assert.deepEqual(await pool.nearest(q, 30, 'l2'), nearestNaive(big, q, 30, 'l2'));
  } finally {
    pool.dispose();
  }
  const [a, b] = await Promise.all([project.similar({ imageId: idOf(project.listImages({ limit: 1 }).items[0].name) }, { k: 4 }), project.similar({ imageId: idOf(project.listImages({ limit: 2 }).items[1].name) }, { k: 4 })]);
  assert.equal(a.neighbours.length + b.neighbours.length, 8);
});

test('the app computes missing features as an embed job and says so; the search then covers every image', { skip }, async () => {
  const service = new StudioService({ dataDir: join(root, 'svc2'), emit: () => undefined });
  service.createProject({ dir: join(root, 'fresh') });
  try {
    await service.jobs.wait(service.importImages({ folder: join(root, 'images') }).jobId);
    const first = service.listImages({ limit: 1 }).items[0];
    const r1 = await service.similar({ query: { kind: 'image', id: first.id }, k: 5 });
    assert.deepEqual([r1.missing, r1.neighbours.length, r1.run], [20, 0, null], 'nothing cached yet: nothing searched');
    assert.ok(r1.jobId, 'a job computes the features');
    await service.jobs.wait(r1.jobId!);
    const r2 = await service.similar({ query: { kind: 'image', id: first.id }, k: 5 });
    assert.deepEqual([r2.missing, r2.neighbours.length, r2.jobId ?? null], [0, 5, null]);
  } finally {
    service.closeProject();
  }
});
