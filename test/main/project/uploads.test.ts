// Files given as bytes (browser mode's drop zone) land in the project's received/ folder: chunks in
// order only, a safe name (no folders, not hidden), an existing name kept (a suffix instead).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { safeFileName, Uploads } from '../../../src/main/project/uploads.js';

const dir = mkdtempSync(join(tmpdir(), 'ts-uploads-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('chunks in order make the file; out of order is refused; a taken name gets a suffix', () => {
  const up = new Uploads();
  const a = up.receive(dir, { name: 'train.txt', offset: 0, data: b64('a b c\n'), done: false });
  assert.equal(a.path, null);
  assert.throws(() => up.receive(dir, { id: a.id, name: 'train.txt', offset: 3, data: b64('x'), done: true }), /expected offset 6, got 3/);
  const done = up.receive(dir, { id: a.id, name: 'train.txt', offset: 6, data: b64('d e f\n'), done: true });
  assert.equal(done.path, join(dir, 'received', 'train.txt'));
  assert.equal(readFileSync(done.path!, 'utf8'), 'a b c\nd e f\n');
  const again = up.receive(dir, { name: 'train.txt', offset: 0, data: b64('g h i\n'), done: true });
  assert.equal(again.path, join(dir, 'received', 'train-2.txt'));
  assert.equal(readFileSync(done.path!, 'utf8'), 'a b c\nd e f\n', 'the first copy is untouched');
  assert.deepEqual(readdirSync(join(dir, 'received')).sort(), ['train-2.txt', 'train.txt'], 'no .part left');
  assert.throws(() => up.receive(dir, { id: a.id, name: 'train.txt', offset: 12, data: '', done: true }), /unknown/);
});

test('names cannot climb out of received/ or hide', () => {
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\me\\test.txt'), 'test.txt');
  assert.equal(safeFileName('.bashrc'), 'bashrc');
  assert.equal(safeFileName('a\nb.txt'), 'a_b.txt');
  assert.equal(safeFileName('..'), 'file.txt');
  const up = new Uploads();
  const r = up.receive(dir, { name: '../evil.txt', offset: 0, data: b64('x'), done: true });
  assert.equal(r.path, join(dir, 'received', 'evil.txt'));
  assert.equal(existsSync(join(dir, 'evil.txt')), false);
});
