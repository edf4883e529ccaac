// Migration 0013: the feature cache becomes a rowid table (one page per vector, read in write order;
// bench/scale.ts store). Every old row comes across byte for byte in one transaction, the key stays
// unique (INSERT OR REPLACE replaces, never duplicates), and reads give what they gave before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../../src/main/store/db.js';
import { featureMatrix, featureWriter } from '../../../src/main/store/features.js';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';

const root = mkdtempSync(join(tmpdir(), 'ts-m13-'));
after(() => rmSync(root, { recursive: true, force: true }));
const KEY = { backbone: 'mobilenet_v1_0.75_224', weights: 'w1', preprocessing: 'antialias-v1' };
const vec = (x: number, dim = 4) => Buffer.from(new Float32Array(dim).fill(x).buffer);

/** A store at the last schema before 0013, with 30 images (images 29 and 30 share content 'sha-5'). */
function oldStore(file: string): void {
  const raw = new Database(file);
  const before = MIGRATIONS.filter((m) => m.version < 13);
  for (const m of before) raw.exec(m.sql);
  raw.pragma(`user_version = ${before.at(-1)!.version}`);
  const ins = raw.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  const feat = raw.prepare('INSERT INTO feature_cache (sha256, backbone, weights, preprocessing, dim, data) VALUES (?, ?, ?, ?, 4, ?)');
  for (let i = 1; i <= 30; i++) ins.run(`${i}.jpg`, `${i}.jpg`, `/x/${i}.jpg`, `sha-${i > 28 ? 5 : i}`);
  for (let i = 28; i >= 1; i--) feat.run(`sha-${i}`, KEY.backbone, KEY.weights, KEY.preprocessing, vec(i));
  feat.run('sha-3', 'resnet50', 'w2', 'keras-nearest-v1', vec(-3));
  feat.run('sha-gone', KEY.backbone, KEY.weights, KEY.preprocessing, vec(99)); // content no image has any more
  raw.close();
}

test('0013 keeps every cached vector, as a rowid table with a unique key', () => {
  const file = join(root, 'v.sqlite');
  oldStore(file);
  const db = openDb(file);
  const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'feature_cache'`).pluck().get() as string;
  assert.doesNotMatch(sql, /WITHOUT ROWID/i);
  const rows = db.prepare('SELECT sha256, backbone, data FROM feature_cache ORDER BY rowid').all() as { sha256: string; backbone: string; data: Buffer }[];
  assert.equal(rows.length, 30);
  for (const r of rows) {
    const n = r.sha256 === 'sha-gone' ? 99 : r.backbone === 'resnet50' ? -3 : Number(r.sha256.slice(4));
    assert.deepEqual(r.data, vec(n), r.sha256);
  }
  // One key's vectors lie together, in image order (written 28 → 1 before).
  const mobile = rows.filter((r) => r.backbone === KEY.backbone).map((r) => r.sha256);
  assert.deepEqual(mobile.slice(0, 3), ['sha-1', 'sha-2', 'sha-3']);

  const m = featureMatrix(db, KEY);
  assert.equal(m.ids.length, 30, 'images 29 and 30 share sha-5');
  assert.equal(m.data[Array.from(m.ids).indexOf(30) * 4], 5);
  // The key is still unique: writing a vector again replaces it.
  featureWriter(db, KEY)('sha-7', 4, vec(70));
  assert.equal(db.prepare(`SELECT COUNT(*) FROM feature_cache WHERE sha256 = 'sha-7'`).pluck().get(), 1);
  assert.throws(() => db.prepare('INSERT INTO feature_cache (sha256, backbone, weights, preprocessing, dim, data) VALUES (?, ?, ?, ?, 4, ?)').run('sha-7', KEY.backbone, KEY.weights, KEY.preprocessing, vec(1)), /UNIQUE/);
  const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM feature_cache WHERE backbone = ? AND weights = ? AND preprocessing = ?`).all('a', 'b', 'c') as { detail: string }[]).map((p) => p.detail).join(' ');
  assert.match(plan, /COVERING INDEX feature_cache_key/);
  db.close();
});
