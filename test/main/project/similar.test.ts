// Similarity search on a slice of the flowers photos: exact against a brute-force reference in both
// spaces (a run's encodings, raw features), the query left out, an outside file (path or bytes)
// featurised like the project's images, and the CLI's `neighbours --json` shape.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
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
import { pngClaiming } from '../../helpers/huge-png.js';
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

test('the path of one of the project\'s own files is that image: left out, as by name (a copy is not)', { skip }, async () => {
  const img = project.listImages({ limit: 1 }).items[0];
  const own = project.mediaPath('image', img.id)!;
  for (const raw of [false, true]) {
    const byPath = await project.similar({ file: own }, { k: 4, raw });
    const byId = await project.similar({ imageId: img.id }, { k: 4, raw });
    assert.ok(!byPath.neighbours.some((n) => n.image.id === img.id), 'the query image is not its own neighbour');
    assert.deepEqual(byPath.neighbours.map((n) => n.image.id), byId.neighbours.map((n) => n.image.id));
  }
});

test('outside bytes that are not an image, or too large, are refused', { skip }, async () => {
  await assert.rejects(project.similar({ bytes: Buffer.from('hello, not an image') }), { code: 'INVALID_FILE' });
  const fake = Buffer.alloc(800 * 1024);
  fake.set([0xff, 0xd8, 0xff]);
  await assert.rejects(project.similar({ bytes: fake }), { code: 'TOO_LARGE' });
  const broken = join(root, 'broken.jpg');
  writeFileSync(broken, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]));
  await assert.rejects(project.similar({ file: broken }), (e: Error & { code?: string }) => e.code === 'INVALID_FILE' && e.message.includes('broken.jpg'));
  // A 3 GiB video by its path: refused from its first bytes (sparse file: nothing is read past them).
  const video = join(root, 'clip.mp4');
  writeFileSync(video, Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isommp41', 'latin1'));
  truncateSync(video, 3 * 2 ** 30);
  await assert.rejects(project.similar({ file: video }), { code: 'INVALID_FILE', message: `${video} is not an image (JPEG, PNG, GIF, WebP, TIFF or HEIF expected).` });
  // A gigapixel panorama: was "cannot be read as an image (Input image exceeds pixel limit)".
  const pano = join(root, 'panorama.png');
  writeFileSync(pano, await pngClaiming(40_000, 40_000));
  await assert.rejects(project.similar({ file: pano }), { code: 'INVALID_FILE', message: `${pano} cannot be read as an image: too large to decode safely (over 268 million pixels; a panorama? save a smaller copy to use it).` });
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

test('judgeTriplet: the run’s distances (brute force over the ensemble encodings), loss and verdict; swapped roles swap them', { skip }, async () => {
  const { verdictOf } = await import('../../../src/shared/judgement-text.js');
  const { distance } = await import('../../../src/main/ml/index.js');
  const vectors = await reference(false);
  const margin = project.runs().find((r) => r.id === runId)!.options.margin;
  const ids = [...vectors.keys()];
  const verdicts = new Set<string>();
  for (let i = 0; i + 2 < ids.length; i += 3) {
    const [a, p, n] = ids.slice(i, i + 3);
    const j = (await project.judgeTriplet({ anchorId: a, positiveId: p, negativeId: n }))!;
    const [dAP, dAN] = [distance('l1', vectors.get(a)!, vectors.get(p)!), distance('l1', vectors.get(a)!, vectors.get(n)!)];
    assert.deepEqual([j.run, j.distance, j.margin], [runId, 'l1', margin]);
    assert.ok(Math.abs(j.dAP - dAP) < 1e-4 && Math.abs(j.dAN - dAN) < 1e-4, `${j.dAP} ${dAP} ${j.dAN} ${dAN}`);
    assert.ok(Math.abs(j.loss - Math.max(dAP - dAN + margin, 0)) < 1e-4);
    assert.equal(j.verdict, verdictOf(j.dAP, j.dAN, margin));
    const swapped = (await project.judgeTriplet({ anchorId: a, positiveId: n, negativeId: p }))!;
    assert.deepEqual([swapped.dAP, swapped.dAN], [j.dAN, j.dAP]);
    if (j.verdict === 'learned') assert.equal(swapped.verdict, 'wrong');
    verdicts.add(j.verdict);
  }
  assert.ok(verdicts.size >= 2, `several verdicts over ${ids.length / 3} triplets: ${[...verdicts]}`);
  await assert.rejects(project.judgeTriplet({ anchorId: ids[0], positiveId: ids[0], negativeId: ids[1] }), (e: Error & { code?: string }) => e.code === 'BAD_ARGUMENTS');
  await assert.rejects(project.judgeTriplet({ anchorId: ids[0], positiveId: ids[1], negativeId: 999_999 }), (e: Error & { code?: string }) => e.code === 'NOT_FOUND');
});

test('verdictOf: wrong way round, inside the margin, right by the margin', () => {
  return import('../../../src/shared/judgement-text.js').then(({ verdictOf, judgementText }) => {
    assert.equal(verdictOf(0.5, 0.5, 0.2), 'wrong');
    assert.equal(verdictOf(0.6, 0.5, 0.2), 'wrong');
    assert.equal(verdictOf(0.4, 0.5, 0.2), 'inside-margin');
    assert.equal(verdictOf(0.2, 0.5, 0.2), 'learned');
    const base = { run: 3, distance: 'l2' as const, margin: 0.2, loss: 0 };
    assert.match(judgementText({ ...base, dAP: 0.6, dAN: 0.5, verdict: 'wrong' }), /^Run 3 has this the wrong way round \(d\(A,P\) 0\.60, d\(A,N\) 0\.50\)/);
    assert.match(judgementText({ ...base, dAP: 0.2, dAN: 0.5, verdict: 'learned' }), /its loss is 0/);
  });
});

test('CLI judge --json = the project’s judgement; text names the run; no run yet: exit 1 saying to train first', { skip }, async () => {
  const run = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const [a, p, n] = project.listImages({ limit: 3 }).items;
  const r = await run('judge', project.dir, a.name, p.name, n.name, '--json');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j).sort(), ['dAN', 'dAP', 'distance', 'loss', 'margin', 'run', 'verdict']);
  // Another process may embed on another path (wasm or plain JS): the same to float precision.
  const api = (await project.judgeTriplet({ anchorId: a.id, positiveId: p.id, negativeId: n.id }))!;
  assert.deepEqual([j.run, j.distance, j.margin, j.verdict], [api.run, api.distance, api.margin, api.verdict]);
  for (const k of ['dAP', 'dAN', 'loss'] as const) assert.ok(Math.abs(j[k] - api[k]) < 1e-5, `${k}: ${j[k]} vs ${api[k]}`);
  const text = await run('judge', project.dir, a.name, p.name, n.name);
  assert.match(text.stdout, new RegExp(`^Run ${runId} `));
  const bad = await run('judge', project.dir, a.name, 'no-such-image.jpg', n.name, '--json');
  assert.equal(bad.code, 1);
  assert.match(JSON.parse(bad.stdout).error.message, /unknown image "no-such-image.jpg"/);
  const fresh = Project.init(join(root, 'no-run'));
  await fresh.importImages(join(root, 'images'));
  fresh.close();
  const none = await run('judge', join(root, 'no-run'), a.name, p.name, n.name, '--json');
  assert.equal(none.code, 1);
  assert.match(JSON.parse(none.stdout).error.message, /No finished run yet: train first/);
});

test('the app request judgeTriplet through dispatch; bad ids refused by the schema', { skip }, async () => {
  const service = new StudioService({ dataDir: join(root, 'svc3'), emit: () => undefined });
  const dispatcher = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null });
  const sender = { transport: 'socket', authenticated: true } as const;
  assert.ok((await dispatcher.dispatch('openProject', { dir: project.dir }, sender)).ok);
  try {
    const [a, p, n] = project.listImages({ limit: 3 }).items;
    const r = await dispatcher.dispatch('judgeTriplet', { anchorId: a.id, positiveId: p.id, negativeId: n.id }, sender);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.value, await project.judgeTriplet({ anchorId: a.id, positiveId: p.id, negativeId: n.id }));
    const bad = await dispatcher.dispatch('judgeTriplet', { anchorId: -1, positiveId: p.id, negativeId: n.id }, sender);
    assert.equal(!bad.ok && bad.error.code, 'BAD_ARGUMENTS');
  } finally {
    service.closeProject();
  }
});
