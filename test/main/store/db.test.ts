import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
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

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { migration0002 } from '../../../src/main/store/migrations/0002-kept.js';
import { readTransaction, writeTransaction } from '../../../src/main/store/db.js';
import { repoRoot } from '../../helpers/shared.js';
import { restoreHint } from '../../../src/main/store/check.js';

/** A schema-2 store (as shipped before 0005) with one run, in WAL mode. */
function makeV2(name: string): string {
  const file = join(root, name);
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec(migration0001.sql);
  raw.exec(migration0002.sql);
  raw.pragma('user_version = 2');
  raw.prepare(`INSERT INTO runs (status, options, backend) VALUES ('finished', '{}', 'wasm')`).run();
  raw.close();
  return file;
}

test('migrating an existing store snapshots it first, beside it, named with the old schema and time; a new store gets none', () => {
  const file = makeV2('snap.sqlite');
  const db = openDb(file);
  assert.equal(db.pragma('application_id', { simple: true }), 0x54537431);
  db.close();
  const snaps = readdirSync(root).filter((f) => f.startsWith('snap.sqlite.pre-migration-v2-'));
  assert.equal(snaps.length, 1, snaps.join());
  assert.match(snaps[0], /^snap\.sqlite\.pre-migration-v2-\d{8}T\d{6}Z\.bak$/);
  const copy = new Database(join(root, snaps[0]), { readonly: true });
  assert.equal(copy.pragma('user_version', { simple: true }), 2);
  assert.equal(copy.prepare('SELECT COUNT(*) FROM runs').pluck().get(), 1);
  copy.close();
  assert.ok(restoreHint(file).includes(join(root, snaps[0])), 'the damaged-file message points at the snapshot');
  openDb(join(root, 'fresh.sqlite')).close();
  assert.deepEqual(readdirSync(root).filter((f) => f.startsWith('fresh.sqlite.pre-migration')), []);
});

test('the -wal file a large write grew is cut back to 16 MiB when it starts over (it was kept at its largest)', () => {
  const file = join(root, 'wal.sqlite');
  const db = openDb(file);
  db.exec('CREATE TABLE big (x BLOB)');
  const ins = db.prepare('INSERT INTO big VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 300; i++) ins.run(Buffer.alloc(100_000));
  })();
  const wal = () => statSync(`${file}-wal`).size;
  assert.ok(wal() > 30e6, `${wal()}`);
  db.exec('DELETE FROM big');
  for (let i = 0; i < 3; i++) ins.run(Buffer.alloc(10));
  assert.ok(wal() <= (16 << 20) + 1e6, `${wal()}`);
  db.close();
});

test('a plain db.transaction(fn)() begins IMMEDIATE: it takes the write lock before its first read', () => {
  const file = join(root, 'immediate.sqlite');
  const a = openDb(file);
  const b = openDb(file);
  b.pragma('busy_timeout = 0');
  let blocked = '';
  a.transaction(() => {
    // A deferred transaction would hold no lock yet, and b's write would succeed here (then a's
    // later write would fail with SQLITE_BUSY_SNAPSHOT).
    try {
      b.prepare(`INSERT INTO history (triplet_id, action) VALUES (1, 'b')`).run();
    } catch (err) {
      blocked = (err as { code: string }).code;
    }
    a.prepare(`INSERT INTO history (triplet_id, action) VALUES (1, 'a')`).run();
  })();
  assert.equal(blocked, 'SQLITE_BUSY');
  assert.equal(writeTransaction(a, () => a.prepare('SELECT COUNT(*) FROM history').pluck().get()), 1);
  assert.equal(readTransaction(b, () => b.prepare('SELECT COUNT(*) FROM history').pluck().get()), 1);
  a.close();
  b.close();
});

test('no source file starts a deferred write transaction, a bare BEGIN, or opens SQLite outside store/', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        const allowed = p.endsWith(join('store', 'db.ts')); // readTransaction is the one deferred use
        if (!allowed && /\.deferred\s*\(/.test(text)) offenders.push(`${p}: .deferred(`);
        if (/['"`]\s*BEGIN(\s+DEFERRED|\s+TRANSACTION)?\s*;?\s*['"`]/i.test(text)) offenders.push(`${p}: bare BEGIN`);
        // Connections come from openDb (which makes transactions IMMEDIATE), never straight from the driver.
        if (!p.includes(join('main', 'store')) && /new Database\(|from 'better-sqlite3'/.test(text)) offenders.push(`${p}: opens SQLite directly`);
      }
    }
  };
  walk(join(repoRoot, 'src', 'main'));
  assert.deepEqual(offenders, []);
});

test('two processes opening an old project at once: exactly one migrates, both open it', { timeout: 60_000 }, async () => {
  const file = makeV2('race.sqlite');
  // This process holds the write lock, so both children read schema 2 and wait at BEGIN EXCLUSIVE;
  // released together, the one that migrates second must see schema 5 and apply nothing.
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  const child = () =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const code = `import { openDb } from './src/main/store/db.ts'; const d = openDb(${JSON.stringify(file)}); console.log(d.pragma('user_version', { simple: true })); d.close();`;
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repoRoot }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, out: stdout + stderr }),
      );
    });
  const both = Promise.all([child(), child()]);
  await new Promise((r) => setTimeout(r, 3000));
  holder.exec('COMMIT');
  holder.close();
  const results = await both;
  for (const r of results) assert.equal(r.code, 0, r.out);
  assert.deepEqual(results.map((r) => r.out.trim()), [String(MIGRATIONS.at(-1)!.version), String(MIGRATIONS.at(-1)!.version)]);
  const db = new Database(file, { readonly: true });
  assert.deepEqual(db.prepare('SELECT id, status FROM runs').all(), [{ id: 1, status: 'finished' }]);
  db.close();
  const snaps = readdirSync(root).filter((f) => f.startsWith('race.sqlite.pre-migration'));
  assert.equal(snaps.length, 1, `one snapshot kept: ${snaps.join()}`);
  assert.ok(existsSync(join(root, snaps[0])));
});
