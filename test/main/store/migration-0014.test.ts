// Migration 0014 (removed images): an older store gets the counter and the largest removed id, the
// trigger keeps both, new images are numbered above every removed id, and a store opened read-only at
// the older schema is read from an upgraded private copy (the file itself stays as it was).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../../src/main/store/db.js';
import { insertImage } from '../../../src/main/store/images.js';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';
import { vectorSignature } from '../../../src/main/store/similar-reads.js';

const root = mkdtempSync(join(tmpdir(), 'ts-m14-'));
after(() => rmSync(root, { recursive: true, force: true }));
const KEY = { backbone: 'b', weights: 'w', preprocessing: 'p' };

/** A store at the last schema before 0014 with images 1–5. */
function oldStore(file: string): void {
  const raw = new Database(file);
  const before = MIGRATIONS.filter((m) => m.version < 14);
  for (const m of before) raw.exec(m.sql);
  raw.pragma(`user_version = ${before.at(-1)!.version}`);
  const ins = raw.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (let i = 1; i <= 5; i++) ins.run(`${i}.jpg`, `${i}.jpg`, `/x/${i}.jpg`, `sha-${i}`);
  raw.close();
}

const image = (name: string) => ({ name, abs_path: `/x/${name}`, sha256: name, width: 1, height: 1, bytes: 1, mtime_ms: 0, thumb: '', orientation: null });

test('0014 on an older store: removals counted, the largest removed id never given again', () => {
  const file = join(root, 'm.sqlite');
  oldStore(file);
  const db = openDb(file);
  try {
    assert.deepEqual(db.prepare('SELECT removed, last_id FROM image_changes').get(), { removed: 0, last_id: 0 });
    db.prepare('DELETE FROM images WHERE id IN (5, 2)').run();
    assert.deepEqual(db.prepare('SELECT removed, last_id FROM image_changes').get(), { removed: 2, last_id: 5 });
    assert.equal(insertImage(db, image('6.jpg')), 6, 'above the removed 5, though the largest id in use is 4');
    db.prepare('DELETE FROM images WHERE id = 3').run();
    assert.deepEqual(db.prepare('SELECT removed, last_id FROM image_changes').get(), { removed: 3, last_id: 5 }, 'the largest stays');
    assert.equal(insertImage(db, image('7.jpg')), 7);
  } finally {
    db.close();
  }
});

test('a store read-only at the older schema: read through an upgraded private copy, the file untouched', () => {
  const file = join(root, 'ro.sqlite');
  oldStore(file);
  const db = openDb(file, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version, 'the copy has every table');
    assert.match(vectorSignature(db, KEY), /^5:5:0:0:0$/);
    assert.notEqual(db.name, file);
  } finally {
    db.close();
  }
  const raw = new Database(file, { readonly: true });
  assert.equal(raw.pragma('user_version', { simple: true }), 13, 'the original was not migrated');
  raw.close();
});
