// Replacing one image of a triplet: an undoable edit, refused (store unchanged) when it would
// duplicate, contradict or leak like a new triplet; stale distances go; the CLI's --replace flag.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import type { Split } from '../../../src/shared/types.js';
import { Project } from '../../../src/main/project/project.js';
import { exportTriplets } from '../../../src/main/triplets/export.js';
import { importTriplets } from '../../../src/main/triplets/import.js';
import * as store from '../../../src/main/triplets/store.js';
import { cliRunner } from '../../helpers/cli.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-replace-'));
const IMAGES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
let project: Project;
let dir: string;

beforeEach(() => {
  project?.close();
  dir = mkdtempSync(join(root, 'p-'));
  project = Project.init(dir);
  addFilelessImages(project.db, IMAGES.map((n) => `${n}.jpg`));
});

after(() => {
  project?.close();
  rmSync(root, { recursive: true, force: true });
});

const db = () => project.db;
const create = (a: number, p: number, n: number, split: Split = 'train') => store.createTriplet(db(), { split, anchorId: a, positiveId: p, negativeId: n }).id;
const rows = () => JSON.stringify(db().prepare('SELECT * FROM triplets ORDER BY id').all());
const ids = (id: number) => {
  const s = store.getSnapshot(db(), id)!;
  return [s.anchorId, s.positiveId, s.negativeId, s.positive, s.negative];
};

test('replace swaps in the new image and its name, is one undoable step, and redo brings it back', () => {
  const t = create(1, 2, 3);
  store.editTriplet(db(), t, { kind: 'review', review: 'keep' });
  const rec = store.editTriplet(db(), t, { kind: 'replace', role: 'positive', imageId: 4 })!;
  assert.deepEqual(ids(t), [1, 4, 3, 'd.jpg', 'c.jpg']);
  assert.equal(rec.edited, true);
  assert.equal(rec.review, null, 'a decision about the old images does not carry over');
  assert.equal(store.listHistory(db())[0].action, 'replace');
  assert.equal(store.undo(db())!.action, 'replace');
  assert.deepEqual(ids(t), [1, 2, 3, 'b.jpg', 'c.jpg']);
  assert.equal(store.getSnapshot(db(), t)!.review, 'keep', 'undo restores the decision too');
  store.redo(db());
  assert.deepEqual(ids(t), [1, 4, 3, 'd.jpg', 'c.jpg']);
});

test('replace refuses a duplicate, a contradiction, a repeated image, a cross-split leak, and leaves the store unchanged', () => {
  const t = create(1, 2, 3);
  create(1, 4, 3); // #2: positive 2 → 4 would duplicate it
  create(1, 3, 5); // #3: positive 2 → 5 gives (1, 5, 3), which contradicts it
  // These test triplets use every image of train #2 and #3 (asked for: the setup of a leaky store).
  const leaky = (a: number, p: number, n: number) => store.createTriplet(db(), { split: 'test', anchorId: a, positiveId: p, negativeId: n, allowLeakage: true });
  leaky(1, 6, 3); // #4: positive 2 → 6 gives the same triplet as this test one
  leaky(7, 2, 5);
  leaky(6, 3, 4); // the test split uses 7, 2 and 3: anchor 1 → 7 leaks every image
  const before = rows();
  const steps = store.listHistory(db()).length;
  const replace = (role: 'anchor' | 'positive' | 'negative', imageId: number, allowLeakage?: boolean) =>
    store.editTriplet(db(), t, { kind: 'replace', role, imageId, ...(allowLeakage ? { allowLeakage } : {}) });
  assert.throws(() => replace('positive', 4), { code: 'CONFLICT', message: /already exists in the train split \(triplet 2\)/ });
  assert.throws(() => replace('positive', 5), { code: 'CONFLICT', message: /contradict triplet 3/ });
  assert.throws(() => replace('anchor', 3), { code: 'BAD_ARGUMENTS', message: /three different images/ });
  assert.throws(() => replace('anchor', 99), { code: 'NOT_FOUND' });
  assert.throws(() => replace('positive', 6), { code: 'CONFLICT', message: /same triplet is test triplet 4/, details: { leak: true } });
  assert.throws(() => replace('anchor', 7), { code: 'CONFLICT', message: /all three images are used by test triplets/ });
  assert.equal(rows(), before, 'a refused replacement changes no row');
  assert.equal(store.listHistory(db()).length, steps, 'and records no step');
  replace('anchor', 7, true);
  assert.deepEqual(ids(t).slice(0, 3), [7, 2, 3], 'allowLeakage lets the leak through');
});

test('a name put into an imported triplet is stored escaped: export and re-import bind the same images', async () => {
  addFilelessImages(db(), ['my rose.jpg', 'x%41.jpg', 'xA.jpg']); // ids 8, 9, 10
  const file = join(dir, 'train.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\nb.jpg a.jpg c.jpg\n');
  await importTriplets(db(), file, 'train');
  store.editTriplet(db(), 1, { kind: 'replace', role: 'negative', imageId: 8 });
  store.editTriplet(db(), 2, { kind: 'replace', role: 'negative', imageId: 9 });
  const out = join(dir, 'out.txt');
  exportTriplets(db(), 'train', out);
  assert.equal(readFileSync(out, 'utf8'), 'a.jpg b.jpg my%20rose.jpg\nb.jpg a.jpg x%2541.jpg\n');
  // A fresh project with the same images reads the export back to the same images, nothing refused.
  const other = Project.init(mkdtempSync(join(root, 'q-')));
  try {
    addFilelessImages(other.db, [...IMAGES.map((n) => `${n}.jpg`), 'my rose.jpg', 'x%41.jpg', 'xA.jpg']);
    const r = await importTriplets(other.db, out, 'train');
    assert.deepEqual([r.added, r.invalid.length], [2, 0]);
    assert.deepEqual(other.db.prepare('SELECT negative_id FROM triplets ORDER BY seq').pluck().all(), [8, 9]);
  } finally {
    other.close();
  }
});

test("replacing an image drops the triplet's stored distances (they were for the old image)", () => {
  const t = create(1, 2, 3, 'test');
  const other = create(4, 5, 6, 'test');
  const run = Number(db().prepare(`INSERT INTO runs (status, options, backend) VALUES ('finished', '{}', 'cpu')`).run().lastInsertRowid);
  const ins = db().prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, ?, ?, ?)');
  ins.run(run, t, 0.9, 0.1);
  ins.run(run, other, 0.1, 0.9);
  store.editTriplet(db(), t, { kind: 'replace', role: 'negative', imageId: 7 });
  const count = (id: number) => db().prepare('SELECT COUNT(*) FROM predictions WHERE triplet_id = ?').pluck().get(id);
  assert.deepEqual([count(t), count(other)], [0, 1]);
});

test('CLI: edit --replace positive=NAME, with --json, undo, and a clear error for a bad role', async () => {
  const t = create(1, 2, 3);
  project.close();
  const cli = cliRunner(join(root, 'data'));
  const r = await cli('edit', dir, String(t), '--replace', 'positive=d.jpg', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.action, 'replace');
  assert.equal(out.triplet.positive, 'd.jpg');
  const bad = await cli('edit', dir, String(t), '--replace', 'middle=d.jpg');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /expected anchor=NAME, positive=NAME or negative=NAME/);
  const missing = await cli('edit', dir, String(t), '--replace', 'negative=nope.jpg');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.jpg/);
  assert.equal((await cli('undo', dir)).code, 0);
  // A refusal for leakage alone says how to do it anyway; with the flag it is done.
  const leak = await cli('add', dir, 'a.jpg', 'b.jpg', 'c.jpg', '--split', 'test');
  assert.equal(leak.code, 1);
  assert.match(leak.stderr, /the same triplet is train triplet 1\. Add --allow-leakage to do it anyway\./);
  assert.equal((await cli('add', dir, 'a.jpg', 'b.jpg', 'c.jpg', '--split', 'test', '--allow-leakage')).code, 0);
  assert.equal((await cli('undo', dir)).code, 0);
  project = Project.open(dir);
  assert.deepEqual(ids(t), [1, 2, 3, 'b.jpg', 'c.jpg']);
});

test('a triplet made or moved meets the checks a replaced one does: no duplicate, contradiction or unasked leakage in its split', () => {
  const t1 = create(1, 2, 3);
  const t2 = create(4, 5, 6);
  const refused = (f: () => unknown, message: RegExp, leak: boolean) => {
    const before = rows();
    assert.throws(f, (e: Error & { code?: string; details?: { leak?: boolean } }) => {
      assert.equal(e.code, 'CONFLICT');
      assert.match(e.message, message);
      assert.equal(!!e.details?.leak, leak, e.message);
      return true;
    });
    assert.equal(rows(), before, `refused (${message}): the store is unchanged`);
  };
  const move = (id: number, split: Split, allowLeakage = false) => store.editTriplet(db(), id, { kind: 'move', split, ...(allowLeakage ? { allowLeakage } : {}) });
  const make = (a: number, p: number, n: number, split: Split) => store.createTriplet(db(), { split, anchorId: a, positiveId: p, negativeId: n, allowLeakage: true }).id;

  refused(() => create(1, 2, 3), /already exists in the train split \(triplet 1\)/, false);
  refused(() => create(1, 3, 2), /contradict triplet 1/, false);
  refused(() => create(1, 2, 3, 'test'), /the same triplet is train triplet 1/, true);
  refused(() => create(1, 3, 2, 'test'), /the same triplet is train triplet 1/, true);
  refused(() => create(2, 3, 1, 'test'), /all three images are used by train triplets/, true);
  make(2, 3, 1, 'test'); // asked for: the leak is written

  // A moved triplet is checked in the split it goes to, leaving itself out.
  move(t2, 'test');
  assert.equal(store.getSnapshot(db(), t2)!.split, 'test', 'no other train triplet uses its images: no leak');
  refused(() => create(4, 5, 6), /the same triplet is test triplet 2/, true);
  const t6 = create(5, 4, 6, 'test');
  refused(() => move(t6, 'train'), /all three images are used by test triplets/, true);
  move(t6, 'train', true);
  assert.equal(store.getSnapshot(db(), t6)!.split, 'train');
  const t7 = make(1, 3, 2, 'test');
  refused(() => move(t7, 'train'), /contradict triplet 1/, false);
  refused(() => move(t1, 'test'), new RegExp(`contradict triplet ${t7}`), false);
});

test('a new test triplet that would bring the last image of a train triplet into test is leakage too (the rule seen from the other split)', () => {
  const t1 = create(1, 2, 3);
  create(1, 4, 5, 'test');
  create(2, 4, 5, 'test'); // test now uses 1 and 2 of train triplet 1
  const before = rows();
  assert.throws(
    () => create(3, 4, 5, 'test'),
    (e: Error & { code?: string; details?: { leak?: boolean } }) =>
      e.code === 'CONFLICT' && e.details?.leak === true && e.message === `It would make train triplet ${t1} leak across the split: with it, all three of that triplet's images are used by test triplets.`,
  );
  assert.equal(rows(), before, 'refused: the store is unchanged');
  store.createTriplet(db(), { split: 'test', anchorId: 3, positiveId: 4, negativeId: 5, allowLeakage: true });
  // Train triplet 1 leaked before this one: not its doing, so it is not refused for it.
  create(3, 5, 2, 'test');
});

test('replacing an image of a triplet whose images already leaked a test triplet is not refused for that leak', () => {
  const t1 = create(1, 2, 3);
  create(4, 5, 6);
  // Test (1, 2, 4) leaks already: train uses 1 and 2 (through t1) and 4.
  store.createTriplet(db(), { split: 'test', anchorId: 1, positiveId: 2, negativeId: 4, allowLeakage: true });
  store.editTriplet(db(), t1, { kind: 'replace', role: 'negative', imageId: 7 });
  assert.deepEqual(ids(t1).slice(0, 3), [1, 2, 7]);
});

test('an excluded triplet is not refused an image for leakage; taking it back in is', () => {
  create(1, 2, 3);
  const t = create(1, 2, 7, 'test');
  store.editTriplet(db(), t, { kind: 'exclude' });
  store.editTriplet(db(), t, { kind: 'replace', role: 'negative', imageId: 3 });
  assert.deepEqual(ids(t).slice(0, 3), [1, 2, 3]);
  assert.throws(() => store.editTriplet(db(), t, { kind: 'include' }), { code: 'CONFLICT', details: { leak: true } });
});

test('a swap that would make a triplet the same as another of its split is refused, store unchanged', () => {
  const t1 = create(1, 2, 3);
  const t2 = store.createTriplet(db(), { split: 'test', anchorId: 1, positiveId: 3, negativeId: 2, allowLeakage: true }).id;
  const swap = (id: number) => store.editTriplet(db(), id, { kind: 'swap' });
  const refused = (id: number, message: RegExp) => {
    const before = rows();
    assert.throws(() => swap(id), (e: Error & { code?: string }) => e.code === 'CONFLICT' && message.test(e.message));
    assert.equal(rows(), before, 'refused: the store is unchanged');
  };
  // Across the split a contradiction is leakage already; swapping makes it no worse, so it goes through.
  swap(t1);
  assert.deepEqual(ids(t1).slice(0, 3), [1, 3, 2]);
  swap(t1);
  // Contradicting triplets in one split (as an older store may hold): swapping one would make two of the same.
  db().prepare(`UPDATE triplets SET split = 'train' WHERE id = ?`).run(t2);
  refused(t1, new RegExp(`make it the same as train triplet ${t2}, which has these labels the other way round; delete or exclude the wrong one`));
  refused(t2, new RegExp(`make it the same as train triplet ${t1}`));
  // An excluded twin still counts (as for a new triplet); a deleted one does not.
  store.editTriplet(db(), t2, { kind: 'exclude' });
  refused(t1, new RegExp(`make it the same as train triplet ${t2}`));
  store.editTriplet(db(), t2, { kind: 'delete' });
  swap(t1);
  assert.deepEqual(ids(t1).slice(0, 3), [1, 3, 2]);
  // Two copies of a line (a line repeated in its file): the first can be swapped (a contradiction, as
  // the audit lists); the second would then be a copy of it again, so it is refused like any duplicate.
  const f = join(dir, 'repeated.txt');
  writeFileSync(f, 'd.jpg e.jpg f.jpg\nd.jpg e.jpg f.jpg\n');
  return importTriplets(db(), f, 'train').then((r) => {
    assert.equal(r.repeatedInFile, 1);
    const [c1, c2] = db().prepare(`SELECT id FROM triplets WHERE anchor_id = 4 ORDER BY id`).pluck().all() as number[];
    swap(c1);
    assert.deepEqual(ids(c1).slice(0, 3), [4, 6, 5]);
    refused(c2, new RegExp(`make it the same as train triplet ${c1}`));
  });
});

test('eight or more copies of a triplet in one split do not hide its twin in the other: duplicates and contradictions are still refused', async () => {
  const f = join(dir, 'test8.txt');
  writeFileSync(f, 'a.jpg b.jpg c.jpg\n'.repeat(8));
  assert.equal((await importTriplets(db(), f, 'test')).added, 8);
  const make = (a: number, p: number, n: number) => store.createTriplet(db(), { split: 'train', anchorId: a, positiveId: p, negativeId: n, allowLeakage: true }).id;
  const t = make(1, 2, 3);
  const before = rows();
  assert.throws(() => make(1, 2, 3), new RegExp(`already exists in the train split \\(triplet ${t}\\)`));
  assert.throws(() => make(1, 3, 2), new RegExp(`contradict triplet ${t}`));
  assert.equal(rows(), before, 'refused: the store is unchanged');
  // A triplet file meets the same rows: already present, or contradicting, never added.
  const again = join(dir, 'train.txt');
  writeFileSync(again, 'a.jpg b.jpg c.jpg\na.jpg c.jpg b.jpg\n');
  const r = await importTriplets(db(), again, 'train', { allowLeakage: true, skipInvalid: true });
  assert.deepEqual([r.added, r.duplicates, r.conflicts.map((c) => c.kind)], [0, 1, ['repeat', 'contradicts']]);
});

test('taking an excluded triplet back in is refused when it would now leak across the split, unless asked for', () => {
  const t = create(1, 2, 3);
  store.editTriplet(db(), t, { kind: 'exclude' });
  // While it was out, test triplets came to use all three of its images.
  create(1, 2, 4, 'test');
  create(3, 5, 6, 'test');
  const before = rows();
  assert.throws(
    () => store.editTriplet(db(), t, { kind: 'include' }),
    (e: Error & { code?: string; details?: { leak?: boolean } }) => e.code === 'CONFLICT' && e.details?.leak === true && /all three images are used by test triplets/.test(e.message),
  );
  assert.equal(rows(), before, 'refused: the store is unchanged');
  store.editTriplet(db(), t, { kind: 'include', allowLeakage: true });
  assert.equal(store.getSnapshot(db(), t)!.status, 'active', 'asked for: taken back in');
  // The same triplet in the other split is leakage too; a copy in its own split is no reason.
  store.editTriplet(db(), t, { kind: 'exclude' });
  const m = store.createTriplet(db(), { split: 'test', anchorId: 1, positiveId: 3, negativeId: 2, allowLeakage: true }).id;
  assert.throws(() => store.editTriplet(db(), t, { kind: 'include' }), new RegExp(`the same triplet is test triplet ${m}`));
});
