import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { openDb, type Db } from '../../../src/main/store/db.js';
import * as store from '../../../src/main/triplets/store.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-store-'));
let db: Db;

beforeEach(() => {
  db?.close();
  db = openDb(join(mkdtempSync(join(root, 'p-')), 'project.sqlite'));
  addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
  db.prepare(`INSERT INTO runs (status, options, backend) VALUES ('finished', '{}', 'wasm')`).run();
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

const rows = () => db.prepare('SELECT * FROM triplets ORDER BY id').all();

test('create, swap, exclude, keep, move, delete: each undoable and redoable, history newest first', () => {
  const t = store.createTriplet(db, { split: 'test', anchorId: 1, positiveId: 2, negativeId: 3 });
  assert.deepEqual([t.id, t.seq, t.origin, t.line, t.anchor, t.edited], [1, 1, 'manual', null, 'a.jpg', false]);
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, 1, 0.9, 0.2)').run();
  const states = [rows()];
  const swapped = store.editTriplet(db, 1, { kind: 'swap' })!;
  assert.deepEqual([swapped.positive, swapped.negative, swapped.edited], ['c.jpg', 'b.jpg', true]);
  assert.deepEqual(db.prepare('SELECT d_ap, d_an FROM predictions').get(), { d_ap: 0.2, d_an: 0.9 }, 'distances follow the labels');
  states.push(rows());
  assert.equal(store.editTriplet(db, 1, { kind: 'exclude' })!.status, 'excluded');
  states.push(rows());
  assert.equal(store.editTriplet(db, 1, { kind: 'keep' })!.kept, true);
  states.push(rows());
  const moved = store.editTriplet(db, 1, { kind: 'move', split: 'train' })!;
  assert.deepEqual([moved.split, moved.seq], ['train', 1]);
  states.push(rows());
  assert.equal(store.editTriplet(db, 1, { kind: 'delete' }), null);
  assert.equal(db.prepare('SELECT COUNT(*) FROM predictions').pluck().get(), 0);
  states.push(rows());

  assert.deepEqual(
    store.listHistory(db).map((h) => h.action),
    ['delete', 'move', 'keep', 'exclude', 'swap', 'create'],
  );
  const del = store.listHistory(db)[0];
  assert.equal(del.after, null);
  assert.equal(del.before!.id, 1);

  // Undo everything, checking each intermediate state exactly.
  for (let i = states.length - 2; i >= 0; i--) {
    assert.ok(store.undo(db));
    assert.deepEqual(rows(), states[i]);
  }
  assert.deepEqual(db.prepare('SELECT d_ap, d_an FROM predictions').get(), { d_ap: 0.9, d_an: 0.2 }, 'prediction restored with the row');
  assert.ok(store.undo(db), 'undo of the creation');
  assert.deepEqual(rows(), []);
  assert.equal(store.undo(db), null);
  // Redo everything.
  assert.ok(store.redo(db));
  for (let i = 1; i < states.length; i++) {
    assert.ok(store.redo(db));
    assert.deepEqual(rows(), states[i]);
  }
  assert.equal(store.redo(db), null);
});

test('a new change after undo drops the redo stack; deleted ids are never reused', () => {
  store.createTriplet(db, { split: 'train', anchorId: 1, positiveId: 2, negativeId: 3 });
  store.editTriplet(db, 1, { kind: 'delete' });
  const second = store.createTriplet(db, { split: 'train', anchorId: 1, positiveId: 2, negativeId: 4 });
  assert.equal(second.id, 2);
  assert.equal(second.seq, 2);
  store.undo(db); // removes #2
  store.undo(db); // restores #1 with id 1, seq 1
  assert.deepEqual(db.prepare('SELECT id, seq FROM triplets').all(), [{ id: 1, seq: 1 }]);
  store.editTriplet(db, 1, { kind: 'exclude' });
  assert.equal(store.redo(db), null, 'redo stack cleared by the new change');
  assert.equal(store.undo(db)!.action, 'exclude');
  assert.equal(store.undo(db)!.action, 'create', 'undone entries are skipped');
  assert.equal(store.listTriplets(db, {}).total, 0);
});

test('creating an existing triplet, a contradiction or one with an image twice is refused; list filters', () => {
  store.createTriplet(db, { split: 'test', anchorId: 1, positiveId: 2, negativeId: 3 });
  assert.throws(() => store.createTriplet(db, { split: 'test', anchorId: 1, positiveId: 3, negativeId: 2 }), { code: 'CONFLICT', message: /contradict triplet 1/ });
  store.createTriplet(db, { split: 'test', anchorId: 2, positiveId: 3, negativeId: 1 });
  assert.throws(() => store.createTriplet(db, { split: 'test', anchorId: 1, positiveId: 2, negativeId: 3 }), { code: 'CONFLICT' });
  assert.throws(() => store.createTriplet(db, { split: 'test', anchorId: 1, positiveId: 1, negativeId: 3 }), { code: 'BAD_ARGUMENTS' });
  assert.throws(() => store.editTriplet(db, 99, { kind: 'swap' }), { code: 'NOT_FOUND' });
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, 1, 0.5, 0.1), (1, 2, 0.1, 0.5)').run();
  const mis = store.listTriplets(db, { mispredicted: true, runId: 1 });
  assert.deepEqual([mis.total, mis.items[0].id, mis.items[0].dAP], [1, 1, 0.5]);
  assert.equal(store.listTriplets(db, { mispredicted: false, runId: 1 }).items[0].id, 2);
  store.editTriplet(db, 2, { kind: 'exclude' });
  assert.equal(store.listTriplets(db, { status: 'active' }).total, 1);
  assert.equal(store.listTriplets(db, { edited: true }).items[0].id, 2);
  assert.equal(store.listTriplets(db, { imageId: 4 }).total, 0);
  assert.equal(store.listTriplets(db, { split: 'test', limit: 1, offset: 1 }).items[0].id, 2);
});

test('a swap that names the positive it saw is refused once another swap turned the pair round (no silent revert)', () => {
  store.createTriplet(db, { split: 'train', anchorId: 1, positiveId: 2, negativeId: 3 });
  // Another process swapped it after this one showed positive 2.
  store.editTriplet(db, 1, { kind: 'swap' });
  const steps = () => db.prepare('SELECT COUNT(*) FROM history').pluck().get();
  const before = [rows(), steps()];
  assert.throws(() => store.editTriplet(db, 1, { kind: 'swap', positiveId: 2 }), { code: 'CONFLICT', message: /Triplet 1 was changed elsewhere meanwhile.*nothing was swapped/ });
  assert.deepEqual([rows(), steps()], before, 'unchanged, no step recorded');
  // Naming the positive it has now swaps it.
  assert.equal(store.editTriplet(db, 1, { kind: 'swap', positiveId: 3 })!.positive, 'b.jpg');
});
