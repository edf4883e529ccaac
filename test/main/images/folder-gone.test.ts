// A folder that goes away while it is imported (moved, renamed, its USB drive pulled out): the
// import stops with one message naming it and what it kept, instead of finishing "successfully"
// with a "skipped … ENOENT" line for every file after that moment (465 of 660 lines, exit 0). A
// single file deleted during the import is still only skipped.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importImages } from '../../../src/main/images/import.js';
import { openDb } from '../../../src/main/store/db.js';
import { flowersDir, skipWithoutShared } from '../../helpers/shared.js';

const skip = skipWithoutShared();
const root = mkdtempSync(join(tmpdir(), 'ts-folder-gone-'));
after(() => rmSync(root, { recursive: true, force: true }));

function photos(name: string): string {
  const dir = join(root, name);
  cpSync(join(flowersDir(), 'images', 'daisy'), dir, { recursive: true });
  return dir;
}

function project(name: string) {
  const dir = join(root, name);
  mkdirSync(dir);
  return { dir, db: openDb(join(dir, 'project.sqlite')) };
}

test('the folder renamed mid-import: stopped with one message, what was written kept and counted', { skip }, async () => {
  const folder = photos('usb-photos');
  const total = readdirSync(folder).length;
  const { dir, db } = project('p1');
  try {
    let moved = false;
    await assert.rejects(
      importImages(db, dir, folder, {
        batchSize: 8,
        onProgress: (p) => {
          // A third of the way through, the drive goes away (the folder is no longer at its path).
          if (!moved && p.phase === 'images' && p.done >= total / 3) (renameSync(folder, `${folder}-elsewhere`), (moved = true));
        },
      }),
      (err: Error & { code?: string; details?: { added: number } }) => {
        assert.equal(err.code, 'NOT_FOUND');
        assert.match(err.message, new RegExp(`^The folder ${folder} is no longer there \\(moved, renamed, or its drive disconnected\\), so the import stopped\\. The \\d+ new images imported before it stay in the project; import the folder again from where it is`));
        const stored = db.prepare('SELECT COUNT(*) FROM images').pluck().get() as number;
        assert.equal(err.details?.added, stored, 'the message counts exactly what was written');
        assert.ok(stored > 0 && stored < total, `${stored} of ${total}`);
        return true;
      },
    );
  } finally {
    db.close();
  }
});

test('one file deleted mid-import is skipped, the rest imported', { skip }, async () => {
  const folder = photos('local-photos');
  const files = readdirSync(folder).sort();
  const { dir, db } = project('p2');
  try {
    let removed = false;
    const report = await importImages(db, dir, folder, {
      concurrency: 1,
      onProgress: (p) => {
        if (!removed && p.phase === 'images' && p.done === 1) (rmSync(join(folder, files.at(-1)!)), (removed = true));
      },
    });
    assert.equal(report.added, files.length - 1);
    assert.equal(report.skipped.length, 1);
    assert.match(report.skipped[0].reason, /ENOENT/);
  } finally {
    db.close();
  }
});
