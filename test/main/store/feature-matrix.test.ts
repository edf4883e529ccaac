import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { featureMatrix, featureWriter } from '../../../src/main/store/features.js';
import { makeFeatureStore, STORE_KEY } from '../../../bench/feature-store-data.js';

const root = mkdtempSync(join(tmpdir(), 'ts-feature-matrix-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('featureMatrix reads every cached vector of a key into one matrix, by image id', () => {
  const db = makeFeatureStore(join(root, 'a.db'), 50, 8);
  // Another key's vectors are not read.
  featureWriter(db, { ...STORE_KEY, backbone: 'resnet50' })('sha-3', 4, Buffer.from(new Float32Array(4).buffer));
  const m = featureMatrix(db, STORE_KEY);
  assert.equal(m.dim, 8);
  assert.deepEqual(Array.from(m.ids).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(m.data.length, 50 * 8);
  const row8 = m.ids.indexOf(8);
  assert.ok(Math.abs(m.data[row8 * 8 + 5] - (8 + 0.005)) < 1e-5, 'row of image 8, value 5');
  assert.deepEqual(featureMatrix(db, { ...STORE_KEY, weights: 'other' }), { ids: new Int32Array(0), dim: 0, data: new Float32Array(0) });
  db.close();
});

test('featureMatrix refuses a vector of another length, naming the image', () => {
  const db = makeFeatureStore(join(root, 'b.db'), 5, 8);
  featureWriter(db, STORE_KEY)('sha-4', 9, Buffer.from(new Float32Array(9).buffer));
  assert.throws(() => featureMatrix(db, STORE_KEY), /image 4 has 9 values, expected 8/);
  db.close();
});

test('featureMatrix maps the file only for its own read: the connection keeps its mmap setting', () => {
  const db = makeFeatureStore(join(root, 'c.db'), 20, 8);
  const before = db.pragma('mmap_size', { simple: true });
  assert.equal(featureMatrix(db, STORE_KEY).ids.length, 20);
  assert.equal(db.pragma('mmap_size', { simple: true }), before);
  // Inside a caller's transaction too (the reads of a training run hold one).
  db.transaction(() => assert.equal(featureMatrix(db, STORE_KEY).ids.length, 20))();
  assert.equal(db.pragma('mmap_size', { simple: true }), before);
  db.close();
});
