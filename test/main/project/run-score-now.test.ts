// A run's stored test accuracy is the one it scored when it finished; `now` is the same run on the
// test labels as they are, from its stored predictions: swaps, exclusions, replaced images and new
// test triplets each show, and undo brings the first score back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { getRun, listRuns } from '../../../src/main/project/run-rows.js';
import { openDb, type Db } from '../../../src/main/store/db.js';
import * as store from '../../../src/main/triplets/store.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-score-now-'));
let db: Db;

/** Four test triplets, run 1 finished with 3 of 4 right (75%), run 2 still running. */
beforeEach(() => {
  db?.close();
  db = openDb(join(mkdtempSync(join(root, 'p-')), 'project.sqlite'));
  addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg']);
  const made = [
    [1, 2, 3],
    [1, 3, 4],
    [2, 4, 5],
    [3, 5, 6],
  ].map(([a, p, n]) => store.createTriplet(db, { split: 'test', anchorId: a, positiveId: p, negativeId: n }).id);
  db.prepare(`INSERT INTO runs (status, options, backend, test_count, test_accuracy) VALUES ('finished', '{}', 'wasm', 4, 0.75)`).run();
  db.prepare(`INSERT INTO runs (status, options, backend) VALUES ('running', '{}', 'wasm')`).run();
  const pred = db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, ?, ?)');
  made.forEach((id, i) => pred.run(id, i === 3 ? 0.9 : 0.1, i === 3 ? 0.2 : 0.8)); // the last one wrong
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

const now = () => listRuns(db).find((r) => r.id === 1)!.now!;

test('unchanged labels: the same score, not marked changed; a running run has none', () => {
  assert.deepEqual(now(), { accuracy: 0.75, scored: 4, unscored: 0, changed: false });
  assert.equal(listRuns(db).find((r) => r.id === 2)!.now, null);
  assert.deepEqual(getRun(db, 1)!.now, now(), 'one run reads as the list does');
});

test('a swap in review turns a wrong triplet right on today\'s labels; undo brings the first score back', () => {
  store.editTriplet(db, 4, { kind: 'swap' });
  assert.deepEqual(now(), { accuracy: 1, scored: 4, unscored: 0, changed: true });
  store.undo(db);
  assert.deepEqual(now(), { accuracy: 0.75, scored: 4, unscored: 0, changed: false });
});

test('an excluded triplet leaves the count; a replaced image and a new test triplet are unscored', () => {
  store.editTriplet(db, 1, { kind: 'exclude' });
  assert.deepEqual(now(), { accuracy: 2 / 3, scored: 3, unscored: 0, changed: true });
  store.editTriplet(db, 2, { kind: 'replace', role: 'negative', imageId: 6 });
  assert.deepEqual(now(), { accuracy: 0.5, scored: 2, unscored: 1, changed: true });
  store.createTriplet(db, { split: 'test', anchorId: 4, positiveId: 5, negativeId: 6 });
  assert.deepEqual(now(), { accuracy: 0.5, scored: 2, unscored: 2, changed: true });
  store.editTriplet(db, 3, { kind: 'move', split: 'train' });
  assert.deepEqual(now(), { accuracy: 0, scored: 1, unscored: 2, changed: true }, 'a triplet moved to train is no test label');
});
