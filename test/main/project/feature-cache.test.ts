// The feature cache cannot go stale: features are keyed by image content, the backbone's weights
// fingerprint and the preprocessing version. Replaced weights, another preprocessing or a changed
// (re-imported) file are recomputed; an unchanged setup reuses every row.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FINGERPRINT_FILE, weightsFingerprint } from '../../../src/main/ml/backbone/fingerprint.js';
import { featureKey, loadFeatures } from '../../../src/main/project/features.js';
import { Project } from '../../../src/main/project/project.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const root = mkdtempSync(join(tmpdir(), 'ts-fcache-'));
const backbones = join(root, 'backbones');
const images = join(root, 'images');
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
let project: Project;
let photos: string[] = [];

before(async () => {
  if (skip) return;
  // A private, writable copy of the weights, so the test can edit a shard.
  cpSync(join(sharedModelsDir(), BACKBONE), join(backbones, BACKBONE), { recursive: true });
  chmodSync(join(backbones, BACKBONE), 0o755); // the copy keeps the shared folder's read-only mode
  process.env.TRIPLET_STUDIO_BACKBONES = backbones;
  mkdirSync(images);
  const daisy = join(flowersDir(), 'images', 'daisy');
  photos = readdirSync(daisy).sort().slice(0, 5).map((f) => join(daisy, f));
  photos.slice(0, 4).forEach((p, i) => copyFileSync(p, join(images, `p${i}.jpg`)));
  project = Project.init(join(root, 'project'));
  assert.equal((await project.importImages(images)).added, 4);
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

const counts = (r: { computed: number; cached: number; failed: unknown[] }) => [r.computed, r.cached, r.failed.length];

test('an unchanged setup reuses the cache; the key names weights and preprocessing', { skip }, async () => {
  const first = await project.embed(BACKBONE);
  assert.deepEqual(counts(first), [4, 0, 0]);
  assert.equal(first.preprocessing, 'antialias-v1');
  assert.match(first.weights, /^[0-9a-f]{16}$/);
  assert.ok(first.backend && first.engine, 'what computed the features is named');
  const again = await project.embed(BACKBONE);
  assert.deepEqual(counts(again), [0, 4, 0]);
  // Nothing ran: no backend is named rather than an empty one (embed --json prints this report).
  assert.equal(again.backend, null);
  assert.equal(again.engine, null);
});

test('changing the preprocessing recomputes; switching back reuses the first rows', { skip }, async () => {
  const nearest = await project.embed(BACKBONE, { prep: { resize: 'nearest' } });
  assert.deepEqual(counts(nearest), [4, 0, 0]);
  assert.equal(nearest.preprocessing, 'keras-nearest-v1');
  const a = loadFeatures(project.db, featureKey(BACKBONE, { resize: 'antialias' }));
  const n = loadFeatures(project.db, featureKey(BACKBONE, { resize: 'nearest' }));
  assert.notDeepEqual(a.get(1), n.get(1), 'different pixels, different features');
  assert.deepEqual(counts(await project.embed(BACKBONE, { prep: { exif: true } })), [4, 0, 0], '+exif is its own key');
  assert.deepEqual(counts(await project.embed(BACKBONE)), [0, 4, 0]);
});

test('a replaced shard byte changes the fingerprint and recomputes every image', { skip }, async () => {
  const dir = join(backbones, BACKBONE);
  const before = weightsFingerprint(dir);
  assert.ok(readFileSync(join(dir, FINGERPRINT_FILE), 'utf8').includes(before), 'fingerprint kept beside the weights');
  const old = loadFeatures(project.db, featureKey(BACKBONE)).get(1)!;
  // First conv kernel (group1): same size, one weight changed.
  const shard = join(dir, 'group1-shard1of1');
  const bytes = readFileSync(shard);
  bytes[3] ^= 0x40;
  writeFileSync(shard, bytes);
  assert.notEqual(weightsFingerprint(dir), before);
  const r = await project.embed(BACKBONE);
  assert.deepEqual(counts(r), [4, 0, 0]);
  assert.notEqual(r.weights, before);
  const now = loadFeatures(project.db, featureKey(BACKBONE)).get(1)!;
  assert.notDeepEqual(now, old, 'features come from the edited weights');
});

test('a file whose content changed is recomputed after re-import; the others stay cached', { skip }, async () => {
  copyFileSync(photos[4], join(images, 'p2.jpg'));
  const imported = await project.importImages(images);
  assert.equal(imported.updated, 1);
  assert.deepEqual(counts(await project.embed(BACKBONE)), [1, 3, 0]);
});
