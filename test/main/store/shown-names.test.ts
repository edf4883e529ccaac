// A triplet imported from a file that escapes a name (`with%20space.jpg`) is shown under its image's
// own name (the Library's) in every list the app reads: the Triplets list, an edit's reply, the
// history, Review's mistakes and the audit's rows; export still writes the file's form.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { activeAuditRows } from '../../../src/main/store/audit.js';
import { openDb } from '../../../src/main/store/db.js';
import { mistakesOf } from '../../../src/main/store/runs.js';
import { exportTriplets } from '../../../src/main/triplets/export.js';
import { importTriplets } from '../../../src/main/triplets/import.js';
import { createTriplet, editTriplet, listHistory, listTriplets, undo } from '../../../src/main/triplets/store.js';

const root = mkdtempSync(join(tmpdir(), 'ts-shown-'));
after(() => rmSync(root, { recursive: true, force: true }));

const names = (r: { anchor?: string; positive?: string; negative?: string } | null | undefined) => [r?.anchor, r?.positive, r?.negative];

test('an escaped name is shown as its image is named; a literal % in an image name is shown as it is', async () => {
  const db = openDb(join(root, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0)`);
  for (const name of ['daisy/with space.jpg', 'daisy/b.jpg', 'roses/c.jpg', 'a%20b.jpg', 'roses/100%.jpg']) {
    const i = name.lastIndexOf('/');
    ins.run(name, name.slice(i + 1), i < 0 ? '' : name.slice(0, i), `/x/${name}`, name);
  }
  const file = join(root, 'train.txt');
  writeFileSync(file, 'with%20space.jpg b.jpg c.jpg\n');
  assert.equal((await importTriplets(db, file, 'train')).added, 1);
  // Made in the app from an image literally named `a%20b.jpg` (also how an old import binds it).
  const made = createTriplet(db, { split: 'test', anchorId: 4, positiveId: 5, negativeId: 3 });
  assert.deepEqual(names(made), ['a%20b.jpg', 'roses/100%.jpg', 'roses/c.jpg']);

  const listed = listTriplets(db, {}).items;
  assert.deepEqual(listed.map(names), [
    ['daisy/with space.jpg', 'b.jpg', 'c.jpg'],
    ['a%20b.jpg', 'roses/100%.jpg', 'roses/c.jpg'],
  ]);
  const swapped = editTriplet(db, listed[0].id, { kind: 'swap' });
  assert.deepEqual(names(swapped), ['daisy/with space.jpg', 'c.jpg', 'b.jpg']);
  const [entry] = listHistory(db);
  assert.deepEqual([names(entry.before), names(entry.after)], [
    ['daisy/with space.jpg', 'b.jpg', 'c.jpg'],
    ['daisy/with space.jpg', 'c.jpg', 'b.jpg'],
  ]);
  assert.deepEqual(names(undo(db)?.after), ['daisy/with space.jpg', 'c.jpg', 'b.jpg']);

  assert.deepEqual(activeAuditRows(db, 'train').map(names), [['daisy/with space.jpg', 'b.jpg', 'c.jpg']]);
  // Move the imported triplet to test and score both as mistakes of a run.
  editTriplet(db, listed[0].id, { kind: 'move', split: 'test' });
  db.prepare(`INSERT INTO runs (id, status, options, backend) VALUES (1, 'finished', '{}', 'cpu')`).run();
  for (const t of listed) db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, 0.9, 0.1)').run(t.id);
  assert.deepEqual(mistakesOf(db, 1).map(names).sort(), [
    ['a%20b.jpg', 'roses/100%.jpg', 'roses/c.jpg'],
    ['daisy/with space.jpg', 'b.jpg', 'c.jpg'],
  ]);

  // The stored names are unchanged: export gives the file's line back.
  const out = join(root, 'out.txt');
  exportTriplets(db, 'test', out);
  assert.match(readFileSync(out, 'utf8'), /^with%20space\.jpg b\.jpg c\.jpg$/m);
  db.close();
});
