// The drive holding an open project reports errors on writes (EIO) but stays mounted "rw": a failing
// USB stick without a journal, a disk image or share whose host storage fails. Unlike drive-fails'
// case, nothing turns read-only and access() still says writable. Before, an edit there failed with
// SQLite's bare "disk I/O error", reported as a bug ("the details are in …log"), and the app went on
// writing to a drive that loses writes. Now the edit says the drive reported an error and that the
// change was not saved, and the project is reopened read-only at once so nothing more is written
// there; an image import stops with one message and an exact count; the CLI says the same, without a
// log entry. A real drive stands in (test/helpers/failing-drive.ts mountErringDisk: an ext4 image on
// a second drive made to fail; needs root and loop devices, as CI has; elsewhere the tests skip).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { knownError } from '../../../src/shared/errors.js';
import { failErringDisk, mountErringDisk, unmountErringDisk } from '../../helpers/failing-drive.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { cliProjectWhenDriveFails, editWhenDriveFails, importWhileDriveFails } from '../../helpers/while-drive-fails.js';
import { skipWithoutShared } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-drive-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));
const photos = skipWithoutShared() ? null : makeFlowersSubset(join(root, 'photos'), { perClass: 6, seed: 4, trainLines: 2, testLines: 1 });

/** A fresh erring drive mounted at root/<name>; null (and the test skipped) where none can be made. */
function drive(t: TestContext, name: string, cached = false): string | null {
  const why = skipWithoutShared();
  if (why) return (t.skip(why), null);
  const dir = join(root, name);
  mkdirSync(dir);
  const cannot = mountErringDisk(dir, { cached });
  if (cannot) return (t.skip(cannot), null);
  t.after(() => unmountErringDisk(dir)); // at once: a machine has few loop devices (two per erring drive)
  return dir;
}

const DRIVE_ERROR = (dir: string, before = '') => new RegExp(`^${before}The drive holding ${dir} reported an error \\(input/output error\\) when it was written`);

test('an edit on a drive that reports errors is said as such, not as a bug, and the project reopens read-only at once', async (t) => {
  const mount = drive(t, 'edit');
  if (!mount) return;
  const dir = join(mount, 'project');
  const seen = await editWhenDriveFails(dir, join(root, 'data-edit'), photos!.images, () => failErringDisk(mount));
  assert.equal(seen.said.code, 'DRIVE_ERROR');
  assert.match(seen.said.message, DRIVE_ERROR(dir));
  assert.match(seen.said.message, /so the last change was not saved/);
  assert.match(seen.reopenedWhy ?? '', /reported an error .*so it is open for viewing and export only from now on/);
  assert.equal(seen.info?.readOnly, true, 'reopened read-only: nothing more is written to that drive');
  assert.equal(seen.info?.readOnlyBecause, 'drive-error', 'the badge and tooltips say the drive erred, not "a read-only drive or folder"');
  assert.deepEqual(seen.listed, [seen.saved], 'what was saved before is all there, and the refused triplet is not');
  const next = knownError(seen.next);
  assert.equal(next?.code, 'DRIVE_ERROR');
  assert.match(next!.message, /reported an error .*so the project is open for viewing and export only/);
});

test('a drive mounted with a write cache (as most are): the edit that meets its error is refused, not reported saved and lost', async (t) => {
  // Each commit waits for the drive (synchronous = FULL, store/db.ts). With NORMAL a commit went to
  // the page cache, the edit was reported saved, and the drive's error came later, in the
  // background, where nobody saw it: the label was lost, and so could be the ones before it.
  const mount = drive(t, 'cached', true);
  if (!mount) return;
  const dir = join(mount, 'project');
  const seen = await editWhenDriveFails(dir, join(root, 'data-cached'), photos!.images, () => failErringDisk(mount));
  assert.equal(seen.said.code, 'DRIVE_ERROR');
  assert.match(seen.said.message, /so the last change was not saved/);
  assert.equal(seen.info?.readOnlyBecause, 'drive-error');
  assert.deepEqual(seen.listed, [seen.saved]);
});

test('an image import whose project drive starts reporting errors stops with one message and the exact count kept', async (t) => {
  const mount = drive(t, 'import');
  if (!mount) return;
  const dir = join(mount, 'project');
  const { said } = await importWhileDriveFails(dir, photos!.images, () => failErringDisk(mount));
  assert.equal(said.code, 'DRIVE_ERROR', said.message);
  assert.match(said.message, DRIVE_ERROR(dir));
});

test('the CLI on a project whose drive reports errors: listing works, an edit says the drive failed (was "disk I/O error … looks like a bug")', async (t) => {
  const mount = drive(t, 'cli');
  if (!mount) return;
  const dir = join(mount, 'project');
  const data = join(root, 'data-cli');
  const cli = await cliProjectWhenDriveFails(dir, data, photos!, () => failErringDisk(mount));
  const listed = await cli('triplets', dir, '--json');
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).length, 2);
  const edit = await cli('edit', dir, '1', '--swap', '--json');
  assert.equal(edit.code, 1);
  const error = JSON.parse(edit.stdout).error as { code: string; message: string };
  assert.equal(error.code, 'DRIVE_ERROR', edit.stderr);
  assert.match(error.message, DRIVE_ERROR(dir, 'Cannot edit triplets: '));
  assert.doesNotMatch(listed.stderr + edit.stderr, /bug/);
  assert.equal(existsSync(join(data, 'logs')), false, 'nothing logged as a bug');
  const after = await cli('triplets', dir, '--json');
  assert.deepEqual(JSON.parse(after.stdout), JSON.parse(listed.stdout), 'the refused swap changed nothing');
});
