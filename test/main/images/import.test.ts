import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { importImages, thumbRelPath } from '../../../src/main/images/import.js';
import { openDb, type Db } from '../../../src/main/store/db.js';

let root: string;
let folder: string;
let projectDir: string;
let db: Db;

async function solid(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff', r: number, w = 40, h = 30): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r, g: 80, b: 120 } } })
    .toFormat(format)
    .toBuffer();
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'ts-images-'));
  folder = join(root, 'pics');
  projectDir = join(root, 'project');
  mkdirSync(join(folder, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(folder, '.hidden'), { recursive: true });
  mkdirSync(projectDir);
  writeFileSync(join(folder, 'a.png'), await solid('png', 10));
  writeFileSync(join(folder, 'b.jpg'), await solid('jpeg', 20, 64, 48));
  writeFileSync(join(folder, 'sub', 'c.webp'), await solid('webp', 30));
  writeFileSync(join(folder, 'sub', 'd.gif'), await solid('gif', 40));
  writeFileSync(join(folder, 'sub', 'deeper', 'e.tiff'), await solid('tiff', 50));
  // Same bytes as a.png under another name: one image with two paths.
  writeFileSync(join(folder, 'sub', 'a-copy.png'), readFileSync(join(folder, 'a.png')));
  const jpg = await solid('jpeg', 60, 200, 200);
  writeFileSync(join(folder, 'corrupt.jpg'), jpg.subarray(0, Math.floor(jpg.length / 2)));
  writeFileSync(join(folder, 'notes.txt'), 'not an image\n');
  writeFileSync(join(folder, '.secret.png'), await solid('png', 70));
  writeFileSync(join(folder, '.hidden', 'f.png'), await solid('png', 80));
  db = openDb(join(projectDir, 'project.sqlite'));
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

test('imports every decodable image, reports the others with reasons, skips hidden files', async () => {
  const progress: number[] = [];
  // A batch size smaller than the file count exercises flushes while other files are still decoding.
  const r = await importImages(db, projectDir, folder, { concurrency: 3, batchSize: 2, onProgress: (p) => progress.push(p.done) });
  assert.equal(r.added, 5);
  assert.deepEqual(r.duplicates, [{ path: join(folder, 'sub', 'a-copy.png'), of: 'a.png' }]);
  assert.deepEqual(
    r.skipped.map((s) => s.path.slice(folder.length + 1)),
    ['corrupt.jpg', 'notes.txt'],
  );
  assert.ok(r.skipped.every((s) => s.reason.length > 0));
  assert.match(r.skipped[1].reason, /not an image/);
  const rows = db.prepare('SELECT name, basename, folder, width, height, sha256, thumb FROM images ORDER BY name').all() as {
    name: string;
    basename: string;
    folder: string;
    width: number;
    height: number;
    sha256: string;
    thumb: string;
  }[];
  assert.deepEqual(
    rows.map((r) => [r.name, r.basename, r.folder]),
    [
      ['a.png', 'a.png', ''],
      ['b.jpg', 'b.jpg', ''],
      ['sub/c.webp', 'c.webp', 'sub'],
      ['sub/d.gif', 'd.gif', 'sub'],
      ['sub/deeper/e.tiff', 'e.tiff', 'sub/deeper'],
    ],
  );
  const b = rows.find((x) => x.name === 'b.jpg')!;
  assert.deepEqual([b.width, b.height], [64, 48]);
  const paths = db.prepare(`SELECT abs_path FROM image_paths WHERE image_id = (SELECT id FROM images WHERE name = 'a.png') ORDER BY abs_path`).pluck().all();
  assert.deepEqual(paths, [join(folder, 'a.png'), join(folder, 'sub', 'a-copy.png')]);
  for (const row of rows) {
    assert.equal(row.thumb, thumbRelPath(row.sha256));
    const meta = await sharp(join(projectDir, row.thumb)).metadata();
    assert.equal(meta.format, 'webp');
  }
  assert.equal(progress.at(-1), 8);
});

test('re-import is idempotent and updates changed files only', async () => {
  const again = await importImages(db, projectDir, folder);
  assert.deepEqual([again.added, again.updated, again.unchanged, again.duplicates.length, again.skipped.length], [0, 0, 6, 0, 2]);
  const before = db.prepare(`SELECT id, sha256 FROM images WHERE name = 'b.jpg'`).get() as { id: number; sha256: string };
  // Features of the old content, keyed by its sha256 like every cached vector.
  db.prepare(`INSERT INTO feature_cache (sha256, backbone, weights, preprocessing, dim, data) VALUES (?, 'x', 'w', 'p', 1, ?)`).run(before.sha256, Buffer.alloc(4));
  const cachedFor = (sha: string) => db.prepare('SELECT COUNT(*) FROM feature_cache WHERE sha256 = ?').pluck().get(sha);
  writeFileSync(join(folder, 'b.jpg'), await solid('jpeg', 99, 32, 32));
  // Touching a file without changing it re-hashes it but counts as unchanged.
  const t = new Date(Date.now() + 5000);
  utimesSync(join(folder, 'a.png'), t, t);
  const third = await importImages(db, projectDir, folder);
  assert.deepEqual([third.added, third.updated, third.unchanged], [0, 1, 6 - 1]);
  const after = db.prepare(`SELECT id, sha256, width FROM images WHERE name = 'b.jpg'`).get() as { id: number; sha256: string; width: number };
  assert.equal(after.id, before.id);
  assert.notEqual(after.sha256, before.sha256);
  assert.equal(after.width, 32);
  assert.equal(cachedFor(after.sha256), 0, 'stale features are not served for the new content');
  assert.equal(cachedFor(before.sha256), 1, 'the old content keeps its cached features');
  assert.equal(db.prepare('SELECT COUNT(*) FROM images').pluck().get(), 5);
  assert.equal(db.prepare('SELECT version FROM images WHERE id = ?').pluck().get(before.id), 2, 'a new version of the same image');
});

test('a missing folder is a clear error; an aborted import stops with AbortError', async () => {
  await assert.rejects(importImages(db, projectDir, join(root, 'nope')), /Image folder not found/);
  const ac = new AbortController();
  ac.abort();
  const other = join(root, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'z.png'), await solid('png', 5));
  await assert.rejects(importImages(db, projectDir, other, { signal: ac.signal }), { name: 'AbortError' });
  assert.equal(db.prepare(`SELECT COUNT(*) FROM images WHERE name = 'z.png'`).pluck().get(), 0);
  assert.ok(existsSync(projectDir));
});
