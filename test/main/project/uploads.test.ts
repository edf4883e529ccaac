// Files given as bytes (browser mode's drop zone) land in the project's received/ folder: chunks in
// order only, a safe name (no folders, not hidden), an existing name kept (a suffix instead).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { safeFileName, STALE_MS, Uploads } from '../../../src/main/project/uploads.js';

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

test('a received/ that is a link leading out of the project is refused: nothing is written there', () => {
  const project = mkdtempSync(join(dir, 'linked-'));
  const yours = mkdtempSync(join(dir, 'yours-'));
  symlinkSync(yours, join(project, 'received'));
  assert.throws(() => new Uploads().receive(project, { name: 'evil.sh', offset: 0, data: b64('x'), done: true }), /leads out of the project folder \(a link\)/);
  assert.deepEqual(readdirSync(yours), []);
  // A link that stays inside the project is a place inside it.
  const inside = mkdtempSync(join(dir, 'inside-'));
  mkdirSync(join(inside, 'drops'));
  symlinkSync(join(inside, 'drops'), join(inside, 'received'));
  assert.equal(new Uploads().receive(inside, { name: 't.txt', offset: 0, data: b64('a'), done: true }).path, join(inside, 'received', 't.txt'));
});

test('abandoned uploads are removed after STALE_MS idle; fresh ones and finished files are kept', () => {
  const proj = mkdtempSync(join(tmpdir(), 'ts-uploads-stale-'));
  try {
    let now = Date.now();
    const up = new Uploads(() => now);
    const left = up.receive(proj, { name: 'left.txt', offset: 0, data: b64('a b c\n'), done: false });
    const done = up.receive(proj, { name: 'done.txt', offset: 0, data: b64('x y z\n'), done: true });
    // A .part another process (or the last session) left behind, dated long ago.
    const orphan = join(proj, 'received', '.00000000-0000-0000-0000-000000000000.part');
    writeFileSync(orphan, 'half');
    utimesSync(orphan, new Date(now - STALE_MS - 60_000), new Date(now - STALE_MS - 60_000));
    const parts = () => readdirSync(join(proj, 'received')).filter((n) => n.endsWith('.part')).sort();
    assert.equal(up.expire(proj), 1, 'the old orphan goes');
    assert.equal(parts().length, 1, 'the open, recent upload stays');
    now += STALE_MS + 1000;
    up.expire(proj);
    assert.deepEqual(parts(), [], 'an upload idle past STALE_MS is dropped with its .part');
    assert.throws(() => up.receive(proj, { id: left.id, name: 'left.txt', offset: 6, data: b64('d\n'), done: true }), /unknown/);
    assert.equal(readFileSync(done.path!, 'utf8'), 'x y z\n', 'finished files are never touched');
  } finally {
    rmSync(proj, { recursive: true, force: true });
  }
});
