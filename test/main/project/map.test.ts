// The embedding map on the shared flowers photos (raw MobileNet features): UMAP and PCA keep the
// classes together far better than chance (5-NN class agreement in 2-D, scored with classes.tsv),
// the second call is served from the cache, a change to the images recomputes, colouring data
// follows the triplets, and the CLI's `map --json` prints [{name, x, y}].
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { base64ToFloat32, base64ToInt32 } from '../../../src/shared/b64.js';
import { MAP_SPLIT_USES, type MapProjection } from '../../../src/shared/types.js';
import { Project } from '../../../src/main/project/project.js';
import { cliRunner } from '../../helpers/cli.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-map-'));
const dir = join(root, 'project');
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
let project: Project;

const classOf = new Map(
  readFileSync(join(flowersDir(), 'classes.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .map(([file, cls]) => [file, cls] as const),
);

/** Fraction of each point's k nearest 2-D neighbours that share its class. */
function knnAgreement(m: MapProjection, k = 5): number {
  const xy = base64ToFloat32(m.xy);
  const cls = m.names.map((n) => classOf.get(basename(n))!);
  let same = 0;
  for (let i = 0; i < m.count; i++) {
    const d = m.names.map((_, j) => ({ j, d: (xy[i * 2] - xy[j * 2]) ** 2 + (xy[i * 2 + 1] - xy[j * 2 + 1]) ** 2 })).filter((x) => x.j !== i);
    d.sort((a, b) => a.d - b.d);
    same += d.slice(0, k).filter((x) => cls[x.j] === cls[i]).length;
  }
  return same / (m.count * k);
}

/** Agreement expected by chance: Σ p_c² over the class proportions. */
function chance(m: MapProjection): number {
  const counts = new Map<string, number>();
  for (const n of m.names) counts.set(classOf.get(basename(n))!, (counts.get(classOf.get(basename(n))!) ?? 0) + 1);
  return [...counts.values()].reduce((s, c) => s + (c / m.count) ** 2, 0);
}

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  project = Project.init(dir);
  await project.importImages(join(flowersDir(), 'images'));
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

test('without features the map is empty at once; computeFeatures fills it', { skip }, async () => {
  const empty = project.cachedMap({ method: 'pca' });
  assert.ok(empty);
  assert.equal(empty.count, 0);
  assert.equal(empty.totalImages, 300);
  const phases = new Set<string>();
  const m = await project.map({ method: 'pca', computeFeatures: true }, { onProgress: (p) => phases.add(p.phase) });
  assert.equal(m.count, 300);
  assert.equal(m.cached, false);
  assert.ok(phases.has('features') && phases.has('pca'), `phases: ${[...phases]}`);
  assert.deepEqual([...base64ToInt32(m.ids)].length, 300);
});

test('UMAP and PCA keep the flower classes together far above chance; the cache serves the second call', { skip }, async () => {
  const phases = new Set<string>();
  const umap = await project.map({ method: 'umap' }, { onProgress: (p) => phases.add(p.phase) });
  assert.equal(umap.count, 300);
  assert.ok(phases.has('layout'), `UMAP reports its epochs: ${[...phases]}`);
  const pca = project.cachedMap({ method: 'pca' })!;
  assert.equal(pca.cached, true);
  const [u, p, c] = [knnAgreement(umap), knnAgreement(pca), chance(umap)];
  console.log(`# 5-NN class agreement in 2-D: UMAP ${u.toFixed(3)}, PCA ${p.toFixed(3)}, chance ${c.toFixed(3)}`);
  assert.ok(u > 2 * c, `UMAP agreement ${u} vs chance ${c}`);
  assert.ok(p > 1.5 * c, `PCA agreement ${p} vs chance ${c}`);
  const again = project.cachedMap({ method: 'umap' });
  assert.ok(again?.cached, 'second UMAP call is a cache hit');
  assert.equal(again.xy, umap.xy);
});

test('colouring: folders from the first path segment, split use from active triplets', { skip }, async () => {
  const m = project.cachedMap({ method: 'pca' })!;
  assert.deepEqual([...m.folders].sort(), ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']);
  assert.ok(m.split.every((s) => MAP_SPLIT_USES[s] === 'none'));
  assert.ok(Number.isNaN(base64ToFloat32(m.errorRate)[0]), 'no run: no error rate');
  const ids = base64ToInt32(m.ids);
  const t = project.createTriplet({ split: 'test', anchorId: ids[0], positiveId: ids[1], negativeId: ids[2] });
  project.createTriplet({ split: 'train', anchorId: ids[0], positiveId: ids[3], negativeId: ids[4] });
  const after = project.cachedMap({ method: 'pca' })!;
  assert.deepEqual(after.split.slice(0, 6).map((s) => MAP_SPLIT_USES[s]), ['both', 'test', 'test', 'train', 'train', 'none']);
  // "Show in Library": the listing filtered to the selected ids (and still by name within them).
  const page = project.listImages({ ids: [ids[4], ids[1], ids[2]] });
  assert.deepEqual(page.items.map((i) => i.id).sort((a, b) => a - b), [ids[1], ids[2], ids[4]].sort((a, b) => a - b));
  assert.equal(page.total, 3);
  assert.equal(project.listImages({ ids: [ids[1], ids[2]], search: after.names[1].split('/')[1] }).total, 1);
  project.editTriplet(t.id, { kind: 'exclude' });
  assert.equal(MAP_SPLIT_USES[project.cachedMap({ method: 'pca' })!.split[1]], 'none', 'excluded triplets do not count');
});

test('a change to the images invalidates the cached map', { skip }, async () => {
  const extra = join(root, 'extra');
  mkdirSync(extra);
  // New content (a mirrored photo): a byte-identical copy would be a duplicate of an imported image.
  const daisy = [...classOf.keys()].find((f) => classOf.get(f) === 'daisy')!;
  await sharp(join(flowersDir(), 'images', 'daisy', daisy)).flop().jpeg().toFile(join(extra, 'mirrored.jpg'));
  await project.importImages(extra);
  const before = project.cachedMap({ method: 'pca' })!;
  assert.deepEqual([before.count, before.totalImages], [300, 301], 'the new image has no features yet: off the map, and counted as such');
  assert.equal(project.cachedMap({ method: 'pca', computeFeatures: true }), null, 'computing its features needs a job');
  const m = await project.map({ method: 'pca', computeFeatures: true });
  assert.equal(m.count, 301);
  assert.equal(m.cached, false);
});

test('CLI: map --json prints [{name, x, y}] for every image (from the cache)', { skip }, async () => {
  const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const r = await cli('map', dir, '--method', 'pca', '--json');
  assert.equal(r.code, 0, r.stderr);
  const points = JSON.parse(r.stdout) as { name: string; x: number; y: number }[];
  assert.equal(points.length, 301);
  for (const p of points) assert.deepEqual(Object.keys(p), ['name', 'x', 'y']);
  assert.ok(points.every((p) => typeof p.name === 'string' && Number.isFinite(p.x) && Number.isFinite(p.y)));
  const bad = await cli('map', dir, '--method', 'tsne', '--json');
  assert.equal(bad.code, 1);
});
