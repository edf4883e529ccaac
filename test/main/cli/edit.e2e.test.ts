// Triplet editing through the real `triplet-studio` binary: triplets, add, edit, undo, redo, history,
// on a few shared flower photos (no backbone needed). Runs the reported redo sequence.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { flowersDir, skipWithoutShared } from '../../helpers/shared.js';
import { cliRunner } from '../../helpers/cli.js';

const skip = skipWithoutShared();
const root = mkdtempSync(join(tmpdir(), 'ts-cli-edit-'));
const P = join(root, 'project');
const TXT = join(root, 'train.txt');

const cli = cliRunner(join(root, 'data'));

async function json<T>(...args: string[]): Promise<T> {
  const r = await cli(...args, '--json');
  assert.equal(r.code, 0, `triplet-studio ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface Row {
  id: number;
  split: string;
  anchor: string;
  positive: string;
  negative: string;
  status: string;
  file: string | null;
  line: number | null;
}

const NAMES = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'];

before(async () => {
  if (skip) return;
  // Five different photos as x/a.jpg … x/e.jpg, and a sixth as y/a.jpg (so "a.jpg" alone is ambiguous).
  const daisy = join(flowersDir(), 'images', 'daisy');
  const photos = readdirSync(daisy).sort().slice(0, 6);
  mkdirSync(join(root, 'imgs', 'x'), { recursive: true });
  mkdirSync(join(root, 'imgs', 'y'));
  NAMES.forEach((n, i) => cpSync(join(daisy, photos[i]), join(root, 'imgs', 'x', n)));
  cpSync(join(daisy, photos[5]), join(root, 'imgs', 'y', 'a.jpg'));
  await json('init', P);
  await json('import-images', P, join(root, 'imgs'));
  writeFileSync(TXT, '# three triplets\nx/a.jpg b.jpg c.jpg\nb.jpg c.jpg d.jpg\n\nc.jpg d.jpg e.jpg\n');
  await json('import-triplets', P, TXT, '--split', 'train');
});

after(() => rmSync(root, { recursive: true, force: true }));

/** What the app's list marks on a triplet, as imported and untouched. */
const asImported = { origin: 'imported', edited: false, review: null };

test('triplets --json lists names as in the file, with file and 1-based line', { skip }, async () => {
  const rows = await json<Row[]>('triplets', P);
  assert.deepEqual(rows, [
    { id: 1, split: 'train', anchor: 'x/a.jpg', positive: 'b.jpg', negative: 'c.jpg', status: 'active', file: TXT, line: 2, ...asImported },
    { id: 2, split: 'train', anchor: 'b.jpg', positive: 'c.jpg', negative: 'd.jpg', status: 'active', file: TXT, line: 3, ...asImported },
    { id: 3, split: 'train', anchor: 'c.jpg', positive: 'd.jpg', negative: 'e.jpg', status: 'active', file: TXT, line: 5, ...asImported },
  ]);
  assert.deepEqual(await json('triplets', P, '--split', 'test'), []);
});

test('the redo sequence: swap T1, swap T2, undo, exclude T3, undo, undo, redo, redo, redo → "nothing to redo"', { skip }, async () => {
  const orientation = async () => (await json<Row[]>('triplets', P)).map((r) => `${r.id}:${r.positive}/${r.negative}/${r.status}`);
  const start = await orientation();
  await json('edit', P, '1', '--swap');
  await json('edit', P, '2', '--swap');
  assert.equal((await json<{ tripletId: number }>('undo', P)).tripletId, 2);
  await json('edit', P, '3', '--exclude');
  assert.equal((await json<{ tripletId: number }>('undo', P)).tripletId, 3);
  assert.equal((await json<{ tripletId: number }>('undo', P)).tripletId, 1);
  assert.deepEqual(await orientation(), start);
  const r1 = await json<{ tripletId: number; action: string }>('redo', P);
  assert.deepEqual([r1.tripletId, r1.action], [1, 'swap']);
  const r2 = await json<{ tripletId: number; action: string }>('redo', P);
  assert.deepEqual([r2.tripletId, r2.action], [3, 'exclude']);
  const none = await cli('redo', P);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /nothing to redo/);
  const noneJson = await cli('redo', P, '--json');
  assert.equal(noneJson.code, 1);
  assert.equal(JSON.parse(noneJson.stdout).error.message, 'nothing to redo');
  assert.deepEqual(await orientation(), ['1:c.jpg/b.jpg/active', '2:c.jpg/d.jpg/active', '3:d.jpg/e.jpg/excluded'], 'T2 keeps its labels');

  const history = await json<{ action: string; tripletId: number | null; undone: boolean; discarded: boolean; count: number }[]>('history', P);
  assert.deepEqual(
    history.map((h) => [h.action, h.tripletId, h.undone, h.discarded]),
    [
      ['exclude', 3, false, false],
      ['swap', 2, true, true],
      ['swap', 1, false, false],
      ['import', null, false, false],
      ['import-images', null, false, false],
    ],
  );
  assert.equal(history[3].count, 3);
});

test('add resolves names like a triplet file; edit --split/--include/--delete; undo down to an empty store → "nothing to undo"', { skip }, async () => {
  const bad = await cli('add', P, 'a.jpg', 'b.jpg', 'c.jpg', '--split', 'test');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /ambiguous name "a\.jpg": matches x\/a\.jpg, y\/a\.jpg/);
  const unknown = await cli('add', P, 'x/a.jpg', 'nope.jpg', 'c.jpg', '--split', 'test', '--json');
  assert.equal(unknown.code, 1);
  assert.match(JSON.parse(unknown.stdout).error.message, /unknown image "nope\.jpg"/);
  const added = await json<Row>('add', P, 'y/a.jpg', 'e.jpg', 'x/b.jpg', '--split', 'test');
  assert.deepEqual(added, { id: 4, split: 'test', anchor: 'y/a.jpg', positive: 'e.jpg', negative: 'x/b.jpg', status: 'active', file: null, line: null, origin: 'manual', edited: false, review: null });
  // A reviewer's decision and an edit show in --json, as the app's list marks them (the output showed no change).
  assert.equal((await json<{ triplet: Row & { review: string } }>('edit', P, '4', '--review', 'keep')).triplet.review, 'keep');
  assert.equal((await cli('undo', P)).code, 0);
  assert.equal((await cli('add', P, 'y/a.jpg', 'e.jpg', 'x/b.jpg', '--split', 'test')).code, 1, 'the same triplet twice is refused');

  const moved = await json<{ triplet: Row & { edited: boolean } }>('edit', P, '4', '--split', 'train');
  assert.equal(moved.triplet.split, 'train');
  assert.equal(moved.triplet.edited, true);
  assert.equal((await json<{ triplet: Row }>('edit', P, '3', '--include')).triplet.status, 'active');
  assert.equal((await json<{ triplet: Row | null }>('edit', P, '2', '--delete')).triplet, null);
  assert.equal((await cli('edit', P, '1')).code, 1, 'an edit flag is required');
  assert.equal((await cli('edit', P, '1', '--swap', '--exclude')).code, 1, 'only one edit at a time');
  assert.equal((await cli('edit', P, '99', '--swap')).code, 1);
  assert.deepEqual((await json<Row[]>('triplets', P)).map((r) => r.id), [1, 2, 3, 4].filter((i) => i !== 2));

  // Undo everything: delete, include, move, create, exclude, swap, then the whole import.
  for (let i = 0; i < 7; i++) assert.equal((await cli('undo', P)).code, 0);
  assert.deepEqual(await json('triplets', P), []);
  const empty = await cli('undo', P);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /nothing to undo/);
  // And redo it all back.
  for (let i = 0; i < 7; i++) assert.equal((await cli('redo', P)).code, 0);
  assert.deepEqual((await json<Row[]>('triplets', P)).map((r) => [r.id, r.split, r.status]), [
    [1, 'train', 'active'],
    [3, 'train', 'active'],
    [4, 'train', 'active'],
  ]);
});
