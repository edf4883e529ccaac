// Migration 0003 on a project made before it: every image keeps its id and name, gets its one path
// (with the imported folder recovered), and re-importing the same folder changes nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { importImages } from '../../../src/main/images/import.js';
import { NameResolver } from '../../../src/main/images/names.js';
import { openDb } from '../../../src/main/store/db.js';
import { migration0001 } from '../../../src/main/store/migrations/0001-init.js';
import { migration0002 } from '../../../src/main/store/migrations/0002-kept.js';
import { listImagesWithPaths } from '../../../src/main/store/images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-migrate-images-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a version-2 project migrates without renaming images; re-import of its folder changes nothing', async () => {
  const folder = join(root, 'pics');
  mkdirSync(join(folder, 'roses'), { recursive: true });
  const names = ['a.png', 'roses/b.png', 'roses/cafe\u0301.png'];
  for (const [i, name] of names.entries()) {
    writeFileSync(join(folder, name), await sharp({ create: { width: 10 + i, height: 8, channels: 3, background: '#336699' } }).png().toBuffer());
  }
  const file = join(root, 'project.sqlite');
  const raw = new Database(file);
  raw.exec(migration0001.sql);
  raw.exec(migration0002.sql);
  raw.pragma('user_version = 2');
  const ins = raw.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, ?, 8, ?, ?)`);
  for (const [i, name] of names.entries()) {
    const abs = join(folder, name);
    const st = statSync(abs);
    const sha = createHash('sha256').update(readFileSync(abs)).digest('hex');
    const slash = name.lastIndexOf('/');
    ins.run(name, name.slice(slash + 1), slash < 0 ? '' : name.slice(0, slash), abs, sha, 10 + i, st.size, st.mtimeMs);
  }
  const before = raw.prepare('SELECT id, name, sha256 FROM images ORDER BY id').all();
  raw.close();

  const db = openDb(file);
  assert.deepEqual(db.prepare('SELECT id, name, sha256 FROM images ORDER BY id').all(), before, 'ids, names (even NFD) and hashes kept');
  assert.deepEqual(
    db.prepare('SELECT root, rel FROM image_paths ORDER BY image_id').all(),
    names.map((rel) => ({ root: folder, rel })),
  );
  assert.deepEqual(
    listImagesWithPaths(db).map((i) => i.paths),
    names.map((n) => [join(folder, n)]).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
  const resolver = new NameResolver(db);
  assert.deepEqual(resolver.resolve('roses/caf\u00e9.png'), { id: 3 }, 'an NFD name stored before 0003 matches NFC input');
  assert.deepEqual(resolver.resolve('b.png'), { id: 2 });
  const r = await importImages(db, root, folder);
  assert.deepEqual([r.added, r.updated, r.unchanged, r.duplicates.length], [0, 0, 3, 0]);
  assert.deepEqual(db.prepare('SELECT id, name, sha256 FROM images ORDER BY id').all(), before);
  db.close();
});
