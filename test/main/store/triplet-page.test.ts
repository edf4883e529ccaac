// The triplet list's pages: train then test, each in import order, with the same total and rows
// whichever page size reads them (the query reads each split on its own since the 100k work).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Project } from '../../../src/main/project/project.js';
import * as store from '../../../src/main/triplets/store.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-page-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('pages cross from train to test in order, with filters, for every page size', () => {
  const project = Project.init(join(root, 'p'));
  const db = project.db;
  addFilelessImages(db, Array.from({ length: 9 }, (_, i) => `${i + 1}.jpg`));
  const made: number[] = [];
  // Interleave the splits so ids and order differ.
  for (let i = 0; i < 8; i++) made.push(store.createTriplet(db, { split: i % 3 === 0 ? 'test' : 'train', anchorId: 1 + i, positiveId: 2 + i, negativeId: ((i + 4) % 9) + 1, allowLeakage: true }).id);
  store.editTriplet(db, made[5], { kind: 'move', split: 'test', allowLeakage: true }); // moved to the end of test
  store.editTriplet(db, made[1], { kind: 'exclude' });
  const expected = (db.prepare(`SELECT id FROM triplets ORDER BY split DESC, seq`).pluck().all() as number[]);
  for (const size of [1, 2, 3, 5, 8, 20]) {
    const got: number[] = [];
    for (let off = 0; off < 12; off += size) {
      const page = store.listTriplets(db, { offset: off, limit: size });
      assert.equal(page.total, 8);
      got.push(...page.items.map((t) => t.id));
    }
    assert.deepEqual(got, expected, `page size ${size}`);
  }
  const excluded = store.listTriplets(db, { status: 'excluded', limit: 10 });
  assert.deepEqual([excluded.total, excluded.items.map((t) => t.id)], [1, [made[1]]]);
  const test5 = store.listTriplets(db, { split: 'test', offset: 1, limit: 10 });
  assert.deepEqual(test5.items.map((t) => t.id), expected.filter((id) => store.getSnapshot(db, id)!.split === 'test').slice(1));
  const usesImage = store.listTriplets(db, { imageId: 5, limit: 10 });
  const uses5 = expected.filter((id) => {
    const t = store.getSnapshot(db, id)!;
    return [t.anchorId, t.positiveId, t.negativeId].includes(5);
  });
  assert.ok(uses5.length >= 2);
  assert.deepEqual([usesImage.total, usesImage.items.map((t) => t.id)], [uses5.length, uses5], 'one image: same order');
  project.close();
});

test('find: the place of a triplet in the filtered list and the page that holds it; null when the filters leave it out', () => {
  const project = Project.init(join(root, 'find'));
  const db = project.db;
  addFilelessImages(db, Array.from({ length: 9 }, (_, i) => `${i + 1}.jpg`));
  for (let i = 0; i < 8; i++) store.createTriplet(db, { split: i % 3 === 0 ? 'test' : 'train', anchorId: 1 + i, positiveId: 2 + i, negativeId: ((i + 4) % 9) + 1, allowLeakage: true });
  const ids = () => db.prepare(`SELECT id FROM triplets ORDER BY split DESC, seq`).pluck().all() as number[];
  const first = ids()[0];
  // A move to test re-sorts the row to the end of the list: find follows it there.
  store.editTriplet(db, first, { kind: 'move', split: 'test', allowLeakage: true });
  const order = ids();
  for (const limit of [1, 3, 100]) {
    for (const id of order) {
      const page = store.listTriplets(db, { find: id, offset: 0, limit });
      assert.equal(page.found, order.indexOf(id), `triplet ${id}, page size ${limit}`);
      assert.equal(page.offset, Math.floor(order.indexOf(id) / limit) * limit);
      assert.ok(page.items.some((t) => t.id === id));
    }
  }
  // Filters: the place among the rows they keep; a row they leave out is not found and the asked page comes back.
  const testIds = order.filter((id) => store.getSnapshot(db, id)!.split === 'test');
  assert.equal(store.listTriplets(db, { split: 'test', find: first, limit: 10 }).found, testIds.indexOf(first));
  const trainOnly = store.listTriplets(db, { split: 'train', find: first, offset: 0, limit: 2 });
  assert.deepEqual([trainOnly.found, trainOnly.offset], [null, 0]);
  const usesImage = store.listTriplets(db, { imageId: 2, find: first, limit: 10 });
  assert.equal(usesImage.found, usesImage.items.findIndex((t) => t.id === first));
  assert.ok(usesImage.found! >= 0);
  store.editTriplet(db, first, { kind: 'delete' });
  assert.equal(store.listTriplets(db, { find: first, limit: 10 }).found, null);
  project.close();
});
