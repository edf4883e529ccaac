// Bad-input corpus for image import (issue 11.5 / 11.8), generated here (no committed binaries). Each
// case asserts the exact outcome: imported, skipped with its reason, or refused with the store unchanged.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { importImages } from '../../src/main/images/import.js';
import { NameResolver } from '../../src/main/images/names.js';
import type { ScanFs } from '../../src/main/images/scan.js';
import { openDb, type Db } from '../../src/main/store/db.js';
import { pngClaiming } from '../helpers/huge-png.js';
import { repoRoot } from '../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-corpus-images-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const png = (seed: number) => sharp({ create: { width: 20, height: 20, channels: 3, background: { r: seed, g: 40, b: 200 - seed } } }).png().toBuffer();

/** A fresh project store and image folder holding `files` (name → bytes; Buffer names allowed via `raw`). */
async function corpus(files: Record<string, Buffer | string>): Promise<{ db: Db; project: string; folder: string }> {
  const base = join(root, `c${++n}`);
  const folder = join(base, 'pics');
  const project = join(base, 'project');
  mkdirSync(folder, { recursive: true });
  mkdirSync(project);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), data);
  }
  return { db: openDb(join(project, 'project.sqlite')), project, folder };
}

const names = (db: Db) => db.prepare('SELECT name FROM images ORDER BY name').pluck().all() as string[];
const rel = (folder: string, skipped: { path: string; reason: string }[]) => skipped.map((s) => [s.path.slice(folder.length + 1), s.reason]);

let good: Buffer;
before(async () => {
  good = await png(1);
});

test('names a triplet file cannot carry as written (space, leading #, tab, newline) are imported, listed and resolvable', async () => {
  const odd = ['my photo.png', '#1.png', 'tab\there.png', 'new\nline.png'];
  const files: Record<string, Buffer> = {};
  for (const [i, name] of odd.entries()) files[name] = await png(10 + i);
  const { db, project, folder } = await corpus(files);
  const r = await importImages(db, project, folder);
  assert.equal(r.added, 4);
  assert.deepEqual(r.skipped, []);
  assert.deepEqual([...r.needsEscaping].sort(), [...odd].sort());
  assert.deepEqual(names(db), [...odd].sort());
  const resolver = new NameResolver(db);
  for (const name of odd) assert.ok('id' in resolver.resolve(name), `${JSON.stringify(name)} resolves`);
  db.close();
});

test('a file name that is not UTF-8 is skipped with its reason; the rest imports', async () => {
  const { db, project, folder } = await corpus({ 'ok.png': good });
  writeFileSync(Buffer.concat([Buffer.from(folder + '/bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.png')]), await png(2));
  mkdirSync(Buffer.concat([Buffer.from(folder + '/dir'), Buffer.from([0xe9])]));
  const r = await importImages(db, project, folder);
  assert.equal(r.added, 1);
  assert.deepEqual(rel(folder, r.skipped), [
    ['bad\\xff\\xfe.png', 'file name is not valid UTF-8 (rename it to import)'],
    ['dir\\xe9', 'folder name is not valid UTF-8 (rename it to import)'],
  ]);
  db.close();
});

test('an unreadable subfolder is skipped with its reason; the rest imports (simulated EACCES)', async () => {
  const { db, project, folder } = await corpus({ 'a/ok.png': good, 'locked/x.png': await png(3) });
  const { readdir, stat } = await import('node:fs/promises');
  const fs: ScanFs = {
    readdir: async (dir) => {
      if (dir.endsWith('locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return readdir(dir, { withFileTypes: true, encoding: 'buffer' }) as never;
    },
    stat: (p) => stat(p),
  };
  const r = await importImages(db, project, folder, { scanFs: fs });
  assert.deepEqual(names(db), ['a/ok.png']);
  assert.deepEqual(rel(folder, r.skipped), [['locked', 'folder could not be read (EACCES)']]);
  db.close();
});

test('an unreadable subfolder, for real: the CLI run as `nobody` skips it and imports the rest', { skip: canRunAsNobody() }, async () => {
  const base = join(root, 'nobody');
  mkdirSync(join(base, 'pics', 'ok'), { recursive: true });
  mkdirSync(join(base, 'pics', 'locked'));
  writeFileSync(join(base, 'pics', 'ok', 'a.png'), good);
  writeFileSync(join(base, 'pics', 'locked', 'b.png'), await png(4));
  for (const d of [root, base, join(base, 'pics'), join(base, 'pics', 'ok')]) chmodSync(d, 0o777);
  chmodSync(join(base, 'pics', 'locked'), 0o000);
  const asNobody = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(repoRoot, 'bin', 'triplet-studio.js'), ...args], (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  assert.equal((await asNobody('init', join(base, 'project'))).code, 0);
  const r = await asNobody('import-images', join(base, 'project'), join(base, 'pics'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { added: number; skipped: { path: string; reason: string }[] };
  assert.equal(report.added, 1);
  assert.deepEqual(report.skipped, [{ path: join(base, 'pics', 'locked'), reason: 'folder could not be read (EACCES)' }]);
});

/** Running as root, permissions do not block reads: the real case needs setpriv to drop to `nobody`. */
function canRunAsNobody(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to switch to nobody (as another user, chmod 000 already blocks reads; see the simulated case)';
  return existsSync('/usr/bin/setpriv') ? false : 'setpriv not installed';
}

test('damaged and foreign files are skipped with their reasons', async () => {
  const jpg = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  const { db, project, folder } = await corpus({
    'ok.png': good,
    'empty.png': Buffer.alloc(0),
    'text.jpg': 'not an image\n',
    'truncated.jpg': jpg.subarray(0, jpg.length >> 1),
    'panorama.png': await pngClaiming(40_000, 40_000),
  });
  symlinkSync(join(folder, 'missing.png'), join(folder, 'broken.png'));
  symlinkSync(join(folder, 'loop.png'), join(folder, 'loop.png'));
  mkdirSync(join(root, `target${n}`));
  symlinkSync(join(root, `target${n}`), join(folder, 'linked-folder'));
  const r = await importImages(db, project, folder);
  assert.deepEqual(names(db), ['ok.png']);
  const skipped = new Map(rel(folder, r.skipped) as [string, string][]);
  assert.equal(skipped.get('broken.png'), 'broken or looping symbolic link (ENOENT)');
  assert.equal(skipped.get('loop.png'), 'broken or looping symbolic link (ELOOP)');
  assert.equal(skipped.get('linked-folder'), 'symbolic link to a folder (not followed)');
  assert.equal(skipped.get('empty.png'), 'empty file');
  assert.equal(skipped.get('text.jpg'), 'not an image (unsupported format)');
  assert.match(skipped.get('truncated.jpg') ?? '', /premature end|truncated|corrupt/i);
  // Was sharp's "Input image exceeds pixel limit".
  assert.equal(skipped.get('panorama.png'), 'too large to decode safely (over 268 million pixels; a panorama? save a smaller copy to use it)');
  assert.equal(skipped.size, 7);
  db.close();
});

test('a missing folder, a file, or an unreadable folder given as the folder is refused; the store is unchanged', async () => {
  const { db, project, folder } = await corpus({ 'ok.png': good });
  await assert.rejects(importImages(db, project, join(folder, 'nope')), /Image folder not found: .*nope/);
  await assert.rejects(importImages(db, project, join(folder, 'ok.png')), /ok\.png is a file, not a folder: import the folder that holds the images/);
  const denied: ScanFs = {
    readdir: async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    },
    stat: async () => {
      throw new Error('unused');
    },
  };
  await assert.rejects(importImages(db, project, folder, { scanFs: denied }), new RegExp(`Image folder cannot be read: ${folder} \\(EACCES\\)`));
  assert.deepEqual(names(db), []);
  db.close();
});
