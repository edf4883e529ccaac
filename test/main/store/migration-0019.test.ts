// Migration 0019 (seq_high): a split's next position comes after every position a triplet left,
// without reading the edit history. An older store gets the highest such position from its history
// once; from then on the triggers keep it, for a deletion and for a move to the other split.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../../../src/main/store/db.js';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';
import { nextSeq } from '../../../src/main/store/triplet-reads.js';
import * as store from '../../../src/main/triplets/store.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-m19-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('0019 on an older store: the position of a deleted triplet, known only from the history, is not given again', () => {
  const file = join(root, 'old.sqlite');
  const raw = new Database(file);
  const before = MIGRATIONS.filter((m) => m.version < 19);
  for (const m of before) raw.exec(m.sql);
  raw.pragma(`user_version = ${before.at(-1)!.version}`);
  raw.close();
  // Edits at schema 18 (no triggers yet): three train triplets, the last one deleted.
  const old = new Database(file);
  old.exec(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES
    ('a.jpg','a.jpg','','/x/a','a',1,1,1,0), ('b.jpg','b.jpg','','/x/b','b',1,1,1,0), ('c.jpg','c.jpg','','/x/c','c',1,1,1,0), ('d.jpg','d.jpg','','/x/d','d',1,1,1,0)`);
  old.exec(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES
    (1, 'train', 1, 2, 3, 'a.jpg', 'b.jpg', 'c.jpg', 'active', 'manual', 1), (2, 'train', 1, 2, 4, 'a.jpg', 'b.jpg', 'd.jpg', 'active', 'manual', 2)`);
  old.exec(`INSERT INTO history (triplet_id, action, before, after) VALUES (3, 'delete', '{"id":3,"split":"train","seq":3}', NULL)`);
  old.close();

  const db = openDb(file);
  try {
    assert.equal(nextSeq(db, 'train'), 4, 'after the deleted triplet 3 (seq 3), though the largest seq in use is 2');
    assert.equal(nextSeq(db, 'test'), 1);
  } finally {
    db.close();
  }
});

test('0019 triggers: a deletion and a move keep the position they left taken', () => {
  const db = openDb(join(root, 'new.sqlite'));
  try {
    addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
    const t = [2, 3, 4].map((n) => store.createTriplet(db, { split: 'train', anchorId: 1, positiveId: n, negativeId: 5 }));
    assert.deepEqual(t.map((x) => x.seq), [1, 2, 3]);
    store.editTriplet(db, t[2].id, { kind: 'delete' });
    assert.equal(nextSeq(db, 'train'), 4, 'seq 3 stays taken: undo may bring its triplet back');
    store.editTriplet(db, t[1].id, { kind: 'move', split: 'test' });
    assert.equal(nextSeq(db, 'train'), 4);
    assert.equal(nextSeq(db, 'test'), 2);
    // The deleted triplet comes back at its own place; the next new one goes after it.
    store.undo(db); // the move
    store.undo(db); // the deletion
    assert.deepEqual(db.prepare("SELECT seq FROM triplets WHERE split = 'train' ORDER BY seq").pluck().all(), [1, 2, 3]);
    assert.equal(store.createTriplet(db, { split: 'train', anchorId: 2, positiveId: 3, negativeId: 5 }).seq, 4);
  } finally {
    db.close();
  }
});
