// Migration 0006: feature rows keyed only by (image, backbone) cannot say which weights or
// preprocessing made them, so they are dropped (recomputed on next use); the content-keyed cache
// and the runs' feature-key / left-out columns exist afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../../src/main/store/db.js';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';

const root = mkdtempSync(join(tmpdir(), 'ts-m6-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a store from before 0006 loses its unkeyed features and gains the keyed cache', () => {
  const file = join(root, 'v5.sqlite');
  const raw = new Database(file);
  for (const m of MIGRATIONS.filter((m) => m.version < 6)) raw.exec(m.sql);
  raw.pragma(`user_version = ${Math.max(...MIGRATIONS.filter((m) => m.version < 6).map((m) => m.version))}`);
  raw.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES ('a.jpg', 'a.jpg', '', '/x/a.jpg', 'abc', 1, 1, 1, 0)`).run();
  raw.prepare(`INSERT INTO features (image_id, backbone, dim, data) VALUES (1, 'mobilenet_v1_0.75_224', 1, x'00000000')`).run();
  raw.close();
  const db = openDb(file);
  assert.equal(db.prepare('SELECT COUNT(*) FROM features').pluck().get(), 0, 'stale rows dropped');
  const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
  assert.deepEqual(cols('feature_cache'), ['sha256', 'backbone', 'weights', 'preprocessing', 'dim', 'data']);
  for (const c of ['preprocessing', 'weights', 'left_out']) assert.ok(cols('runs').includes(c), c);
  assert.equal(db.prepare('SELECT COUNT(*) FROM images').pluck().get(), 1, 'images untouched');
  db.close();
});
