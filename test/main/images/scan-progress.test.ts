// Listing a large folder (a home folder picked by mistake, a network share) used to show no progress
// and ignore Cancel until every folder was read. Now the import reports the files found so far
// (phase 'scanning', no total yet) and a cancel stops the listing at the next folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Progress } from '../../../src/main/jobs/progress.js';
import { importImages } from '../../../src/main/images/import.js';
import { scanFolder } from '../../../src/main/images/scan.js';
import { openDb } from '../../../src/main/store/db.js';

const root = mkdtempSync(join(tmpdir(), 'ts-scan-progress-'));
const folder = join(root, 'home');
before(() => {
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(folder, `dir${d}`, 'sub'), { recursive: true });
    for (let f = 0; f < 10; f++) writeFileSync(join(folder, `dir${d}`, 'sub', `f${f}.txt`), 'x');
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the scan reports the files found so far after each folder, rising to all of them', async () => {
  const found: number[] = [];
  const r = await scanFolder(folder, undefined, { onFound: (n) => found.push(n) });
  assert.equal(r.files.length, 300);
  assert.ok(found.length >= 30, `after each folder: ${found.length} reports`);
  assert.deepEqual(found, [...found].sort((a, b) => a - b), 'never going back');
  assert.equal(found.at(-1), 300);
});

test('a cancel while the folder is listed stops the import at the next folder: AbortError, nothing written', async () => {
  const projectDir = join(root, 'project');
  mkdirSync(projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  const controller = new AbortController();
  const seen: Progress[] = [];
  try {
    await assert.rejects(
      importImages(db, projectDir, folder, {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.phase === 'scanning' && p.done >= 20) controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    const scanning = seen.filter((p) => p.phase === 'scanning');
    assert.ok(scanning.length > 0 && scanning.every((p) => p.total === 0 && p.message === 'Listing the folder: files found so far'));
    assert.ok(scanning.at(-1)!.done < 300, `stopped before the end: ${scanning.at(-1)!.done}`);
    assert.equal(seen.filter((p) => p.phase === 'images').length, 0, 'no file was decoded');
    assert.equal(db.prepare('SELECT COUNT(*) FROM images').pluck().get(), 0);
  } finally {
    db.close();
  }
});
