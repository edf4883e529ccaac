// A file the user names for an export is never written over a folder or a device. Found by trying
// `export-triplets … /dev/full --split train --force` as root: the export's rename put a plain file
// where the device was; and `… /tmp --force` failed after the work, naming "/tmp.<pid>.tmp", which it left behind.
// An export to a read-only drive named its temporary file too ("…/train.txt.<pid>.tmp is on a read-only drive").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { refuseToReplace } from '../../../src/main/cli/output.js';
import { writeAtomic, writeMatrix } from '../../../src/main/project/matrix-files.js';
import { saveModelFolder } from '../../../src/main/project/model-files.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/ml/defaults.js';
import { Project } from '../../../src/main/project/project.js';
import { assertFileTarget, notWrittenFor } from '../../../src/main/util/file-target.js';
import type { AppError } from '../../../src/shared/errors.js';
import { failErringDisk, mountErringDisk, unmountErringDisk } from '../../helpers/failing-drive.js';
import { mountTmpfs, remountReadOnly, unmount } from '../../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-file-target-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a missing path or a regular file may be written; a folder or a device is refused by name', () => {
  writeFileSync(join(root, 'old.txt'), 'x');
  assert.doesNotThrow(() => assertFileTarget(join(root, 'new.txt')));
  assert.doesNotThrow(() => assertFileTarget(join(root, 'old.txt')));
  assert.throws(() => assertFileTarget(root), { code: 'BAD_ARGUMENTS', message: `${root} is a folder; give the name of a file to write.` });
  assert.throws(() => assertFileTarget('/dev/null'), { code: 'BAD_ARGUMENTS', message: /^\/dev\/null is not a regular file \(a device, a pipe or a socket\), so it is not replaced/ });
});

test('exporting triplets over a device or a folder, even with --force, changes nothing and leaves no temporary file', () => {
  const dir = join(root, 'project');
  const p = Project.init(dir);
  const out = join(root, 'out');
  mkdirSync(out);
  // A named pipe stands for the device: were the guard to fail, a test run as root must not replace /dev/null.
  const pipe = join(root, 'pipe');
  execFileSync('mkfifo', [pipe]);
  try {
    for (const target of [pipe, out]) {
      assert.throws(() => refuseToReplace(dir, [target], true), { code: 'BAD_ARGUMENTS' }, `the CLI, --force: ${target}`);
      assert.throws(() => p.exportTriplets('train', target), { code: 'BAD_ARGUMENTS' }, `the app: ${target}`);
    }
    assert.ok(statSync(pipe).isFIFO(), 'the pipe is still there');
    assert.deepEqual(readdirSync(root).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    assert.throws(() => writeAtomic(out, 'x'), { code: 'BAD_ARGUMENTS' }, 'encodings, ONNX, --out files: the same guard');
    // A regular file is still replaced with --force, and a new one written.
    writeFileSync(join(root, 'train.txt'), 'old\n');
    refuseToReplace(dir, [join(root, 'train.txt')], true);
    assert.equal(p.exportTriplets('train', join(root, 'train.txt')).count, 0);
  } finally {
    p.close();
  }
});

test('an export to a read-only drive names the file asked for, not its temporary one, and says why', (t) => {
  const drive = join(root, 'ro-drive');
  mkdirSync(drive);
  const cannot = mountTmpfs(drive, '1m');
  if (cannot) return t.skip(cannot);
  try {
    mkdirSync(join(drive, 'out'));
    remountReadOnly(drive);
    const p = Project.init(join(root, 'ro-project'));
    const said = (file: string) => ({ code: 'FORBIDDEN', message: `${join(drive, 'out')} is on a read-only drive, so ${file} was not written (nothing there was replaced). Choose a folder on another drive.` });
    const triplets = join(drive, 'out', 'train.txt');
    assert.throws(() => p.exportTriplets('train', triplets), said(triplets), 'was "…/train.txt.<pid>.tmp is on a read-only drive."');
    const model = join(drive, 'out', 'model.onnx');
    assert.throws(() => writeAtomic(model, new Uint8Array(8)), said(model));
    p.close();
    assert.deepEqual(readdirSync(join(drive, 'out')), []);
  } finally {
    unmount(drive);
  }
});

for (const cached of [false, true]) {
  // Cached: a drive mounted with a write cache (as most are) took the bytes into memory, the rename
  // went through, and the export said it was done; the drive's error came later, unseen, and the
  // file was lost. The bytes are now flushed before the rename (util/durable.ts).
  const kind = cached ? 'with a write cache' : 'mounted sync';
  test(`an export to a drive that answers writes with I/O errors (${kind}) names the file asked for and the drive error (was EIO on the temporary file${cached ? '; cached: "done", and lost' : ''}); a run's model there fails to save`, async (t) => {
    const drive = join(root, `erring-drive-${kind.replace(/ /g, '-')}`);
    mkdirSync(drive);
    const cannot = mountErringDisk(drive, { cached });
    if (cannot) return t.skip(cannot);
    const p = Project.init(join(root, `erring-project-${cached}`));
    try {
      mkdirSync(join(drive, 'out'));
      writeFileSync(join(drive, 'project.sqlite'), ''); // a project folder there, for a run's model
      failErringDisk(drive);
      const said = (file: string) => ({
        code: 'DRIVE_ERROR',
        message: `The drive holding ${join(drive, 'out')} reported an error (input/output error: failing or disconnected?), so ${file} was not written (nothing there was replaced). Choose a folder on another drive.`,
      });
      const triplets = join(drive, 'out', 'train.txt');
      assert.throws(() => p.exportTriplets('train', triplets), said(triplets));
      const model = join(drive, 'out', 'model.onnx');
      assert.throws(() => writeAtomic(model, new Uint8Array(8)), said(model));
      // A finished run's model folder: its save fails (the run is then not saved as finished), not "saved".
      const w = (name: string, shape: number[]) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
      const enc = { weights: [w('dense_1/kernel', [6, 5]), w('dense_1/bias', [5]), w('dense_2/kernel', [5, 3]), w('dense_2/bias', [3])] };
      await assert.rejects(saveModelFolder(drive, 'models/run-1', enc, { ...DEFAULT_TRAIN_OPTIONS, hidden: 5, embedding: 3 }), { code: 'EIO' });
      assert.equal(existsSync(join(drive, 'models', 'run-1')), false);
    } finally {
      p.close();
      unmountErringDisk(drive);
    }
  });
}

test('an .npy and its names are replaced together or not at all: a names file that cannot be written leaves the old .npy', () => {
  const dir = join(root, 'pair');
  mkdirSync(dir);
  const npy = join(dir, 'enc.npy');
  writeFileSync(npy, 'old matrix');
  mkdirSync(join(dir, 'enc.names.txt')); // in the way: a folder where the names go
  assert.throws(() => writeMatrix(npy, ['a.jpg'], new Float32Array([1, 2]), 2), /enc\.names\.txt/);
  assert.equal(readFileSync(npy, 'utf8'), 'old matrix', 'the matrix was not replaced without its names');
  assert.deepEqual(readdirSync(dir).sort(), ['enc.names.txt', 'enc.npy'], 'no temporary file left');
});

test('a rename over a file another program holds open says so (EBUSY; on Windows EPERM/EACCES on an existing file), not "you may not write"', () => {
  const file = join(root, 'open-elsewhere.csv');
  writeFileSync(file, 'x');
  const renameErr = (code: string) => Object.assign(new Error(`${code}: rename`), { code, syscall: 'rename' });
  const busy = `${file} is open in another program (or being scanned), so ${file} was not written (nothing there was replaced). Close it there and export again.`;
  assert.deepEqual(pick(notWrittenFor(renameErr('EBUSY'), file, 'linux')), { code: 'BUSY', message: busy });
  assert.deepEqual(pick(notWrittenFor(renameErr('EPERM'), file, 'win32')), { code: 'BUSY', message: busy });
  assert.deepEqual(pick(notWrittenFor(renameErr('EACCES'), file, 'win32')), { code: 'BUSY', message: busy });
  // Elsewhere, or with no file there, EPERM is a missing right, as before.
  assert.equal(notWrittenFor(renameErr('EPERM'), file, 'linux')?.code, 'FORBIDDEN');
  assert.equal(notWrittenFor(renameErr('EPERM'), join(root, 'not-there.csv'), 'win32')?.code, 'FORBIDDEN');
  assert.equal(notWrittenFor(Object.assign(new Error('EPERM: open'), { code: 'EPERM', syscall: 'open' }), file, 'win32')?.code, 'FORBIDDEN');
  // A file marked read-only is refused for that (closing it elsewhere would not help).
  const readOnly = join(root, 'read-only.csv');
  writeFileSync(readOnly, 'x');
  chmodSync(readOnly, 0o444);
  assert.equal(notWrittenFor(renameErr('EPERM'), readOnly, 'win32')?.code, 'FORBIDDEN');
});

const pick = (e: AppError | null) => e && { code: e.code, message: e.message };
