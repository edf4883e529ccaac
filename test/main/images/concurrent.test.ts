// Two processes importing the same folder into one project at once (issue 11.3): both finish, every
// image is stored once, and nothing fails with a raw UNIQUE constraint error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { repoRoot } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-concurrent-'));
after(() => rmSync(root, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'triplet-studio.js'), ...args], { env: { ...process.env, TRIPLET_STUDIO_DEBUG: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('two CLI processes importing the same folder both succeed and store each image once', async () => {
  const folder = join(root, 'pics');
  const project = join(root, 'project');
  const COUNT = 150;
  for (let i = 0; i < COUNT; i++) {
    mkdirSync(join(folder, `c${i % 3}`), { recursive: true });
    const img = sharp({ create: { width: 48, height: 32, channels: 3, background: { r: i, g: 255 - i, b: (i * 37) % 256 } } });
    writeFileSync(join(folder, `c${i % 3}`, `img${i}.png`), await img.png().toBuffer());
  }
  assert.equal((await cli('init', project)).code, 0);
  const runs = await Promise.all([cli('import-images', project, folder, '--json'), cli('import-images', project, folder, '--json')]);
  for (const r of runs) assert.equal(r.code, 0, `an import failed: ${r.stderr}`);
  const reports = runs.map((r) => JSON.parse(r.stdout) as { added: number; unchanged: number; updated: number; duplicates: unknown[] });
  assert.equal(reports[0].added + reports[1].added, COUNT, 'each image added by exactly one process');
  for (const rep of reports) assert.equal(rep.added + rep.unchanged + rep.updated + rep.duplicates.length, COUNT);
  const db = new Database(join(project, 'project.sqlite'), { readonly: true });
  assert.equal(db.prepare('SELECT COUNT(*) FROM images').pluck().get(), COUNT);
  assert.equal(db.prepare('SELECT COUNT(*) FROM image_paths').pluck().get(), COUNT, 'one path per file');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});

test('an import that cannot get the write lock stops with a clear message and writes nothing', async () => {
  const folder = join(root, 'busy-pics');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'a.png'), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).png().toBuffer());
  const { openDb } = await import('../../../src/main/store/db.js');
  const { importImages } = await import('../../../src/main/images/import.js');
  const projectDir = join(root, 'busy-project');
  mkdirSync(projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  db.pragma('busy_timeout = 50');
  const other = new Database(join(projectDir, 'project.sqlite'));
  other.exec('BEGIN IMMEDIATE');
  try {
    await assert.rejects(importImages(db, projectDir, folder), { code: 'BUSY', message: /The project is busy: another process has been writing to it/ });
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  assert.equal(db.prepare('SELECT COUNT(*) FROM images').pluck().get(), 0);
  const r = await importImages(db, projectDir, folder);
  assert.equal(r.added, 1, 'run again, it finishes');
  db.close();
});
