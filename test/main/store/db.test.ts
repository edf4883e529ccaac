import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, openDb } from '../../../src/main/store/db.js';
import { migration0001 } from '../../../src/main/store/migrations/0001-init.js';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';

const root = mkdtempSync(join(tmpdir(), 'ts-db-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a new store is at the latest schema, in WAL mode with foreign keys on', () => {
  const db = openDb(join(root, 'new.sqlite'));
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
  assert.ok(cols('triplets').includes('kept'));
  assert.ok(cols('runs').includes('pid'));
  db.close();
});

test('a version-1 store with data is migrated in place; a newer store is refused', () => {
  const file = join(root, 'v1.sqlite');
  const raw = new Database(file);
  raw.exec(migration0001.sql);
  raw.pragma('user_version = 1');
  raw.prepare(`INSERT INTO runs (status, options, backend) VALUES ('finished', '{}', 'wasm')`).run();
  raw.close();
  const db = openDb(file);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
  assert.deepEqual(db.prepare('SELECT id, pid FROM runs').all(), [{ id: 1, pid: null }]);
  assert.deepEqual(db.prepare('SELECT validation FROM runs').all(), [{ validation: null }], '0007: runs.validation, null for old runs');
  db.pragma('user_version = 99');
  assert.throws(() => migrate(db), /newer Triplet Studio/);
  db.close();
});
