import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { AppError } from '../../../src/shared/errors.js';
import { openDb, type Db } from '../../../src/main/store/db.js';
import { exportTriplets } from '../../../src/main/triplets/export.js';
import { importTriplets } from '../../../src/main/triplets/import.js';
import { completedLeakWarning } from '../../../src/main/triplets/report.js';

const root = mkdtempSync(join(tmpdir(), 'ts-triplets-'));
let db: Db;
let n = 0;

/** Image rows without files: triplet import only needs names. */
function addImages(db: Db, names: string[]): void {
  const ins = db.prepare(
    `INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0)`,
  );
  for (const name of names) {
    const i = name.lastIndexOf('/');
    ins.run(name, name.slice(i + 1), i < 0 ? '' : name.slice(0, i), `/x/${name}`, name);
  }
}

function file(text: string): string {
  const p = join(root, `t${n++}.txt`);
  writeFileSync(p, text);
  return p;
}

/** Every table's full contents, to prove a refused import changed nothing. */
function dump(db: Db): string {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()]));
}

beforeEach(() => {
  db?.close();
  db = openDb(join(mkdtempSync(join(root, 'p-')), 'project.sqlite'));
  addImages(db, ['daisy/a.jpg', 'daisy/b.jpg', 'roses/c.jpg', 'roses/d.jpg', 'tulips/e.jpg', 'x/dup.jpg', 'y/dup.jpg']);
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

test('names resolve by relative path or unique basename; line numbers and names are stored as written', async () => {
  const f = file('# header\na.jpg b.jpg c.jpg\n\nroses/c.jpg roses/d.jpg x/dup.jpg\n');
  const r = await importTriplets(db, f, 'train');
  assert.deepEqual([r.added, r.duplicates, r.invalid.length, r.lines, r.refused], [2, 0, 0, 4, false]);
  const rows = db.prepare('SELECT anchor_name, positive_name, negative_name, line, seq, origin FROM triplets ORDER BY seq').all();
  assert.deepEqual(rows, [
    { anchor_name: 'a.jpg', positive_name: 'b.jpg', negative_name: 'c.jpg', line: 2, seq: 1, origin: 'imported' },
    { anchor_name: 'roses/c.jpg', positive_name: 'roses/d.jpg', negative_name: 'x/dup.jpg', line: 4, seq: 2, origin: 'imported' },
  ]);
});

test('a file with problems is refused whole, store byte-for-byte unchanged, every issue with file:line', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'train');
  const before = dump(db);
  const bad = file(['a.jpg b.jpg d.jpg', 'a.jpg b.jpg', 'a.jpg nope.jpg c.jpg', 'dup.jpg a.jpg b.jpg', 'a.jpg daisy/a.jpg c.jpg'].join('\n'));
  let err: unknown;
  try {
    await importTriplets(db, bad, 'train');
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'INVALID_FILE');
  const issues = (err.details as { report: { invalid: { file: string; line: number; message: string }[] } }).report.invalid;
  assert.deepEqual(
    issues.map((i) => i.line),
    [2, 3, 4, 5],
  );
  assert.ok(issues.every((i) => i.file === bad));
  assert.match(issues[0].message, /expected 3 names/);
  assert.match(issues[1].message, /unknown image "nope.jpg"/);
  assert.match(issues[2].message, /ambiguous name "dup.jpg": matches x\/dup.jpg, y\/dup.jpg/);
  assert.equal(issues[3].message, 'the same image is used twice in one triplet: "a.jpg" and "daisy/a.jpg" both name it (a unique file name stands for its image, and identical copies are imported as one image)');
  assert.match(err.message, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: unknown image`));
  assert.equal(dump(db), before);
});

test('a path that is no triplet file is refused by what it is: missing, a folder, a device that never ends', async () => {
  const before = dump(db);
  await assert.rejects(importTriplets(db, join(root, 'nope.txt'), 'train'), { code: 'NOT_FOUND', message: `Triplet file not found: ${join(root, 'nope.txt')}` });
  await assert.rejects(importTriplets(db, root, 'train'), { code: 'BAD_ARGUMENTS', message: `${root} is a folder, not a triplet file.` });
  await assert.rejects(importTriplets(db, '/dev/zero', 'train'), { code: 'BAD_ARGUMENTS', message: '/dev/zero is not a regular file (a device or a pipe), so it cannot be a triplet file.' });
  assert.equal(dump(db), before);
});

test('a file that is no UTF-8 text is refused by what it is (UTF-16, a photo, binary), not line by line', async () => {
  const before = dump(db);
  const lines = 'a.jpg b.jpg c.jpg\nroses/c.jpg roses/d.jpg x/dup.jpg\n';
  const utf16 = join(root, 'notepad-unicode.txt');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]));
  await assert.rejects(importTriplets(db, utf16, 'train'), { code: 'INVALID_FILE', message: new RegExp(`^${utf16} is saved as UTF-16 text .*save it as UTF-8 and import it again; a triplet file is UTF-8 text`) });
  const photo = join(root, 'photo.txt');
  writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x0a]));
  await assert.rejects(importTriplets(db, photo, 'train'), { code: 'INVALID_FILE', message: new RegExp(`^${photo} is a JPEG image, not a text file;`) });
  const noBom = join(root, 'utf16-no-bom.txt');
  writeFileSync(noBom, Buffer.from(lines, 'utf16le'));
  await assert.rejects(importTriplets(db, noBom, 'train'), { code: 'INVALID_FILE', message: /is not text \(it holds zero bytes/ });
  assert.equal(dump(db), before, 'nothing imported');
  // The same lines as UTF-8 (with a BOM, as some editors save it) import.
  const utf8 = join(root, 'utf8-bom.txt');
  writeFileSync(utf8, '\ufeff' + lines);
  assert.equal((await importTriplets(db, utf8, 'train')).added, 2);
});

/**
 * Adds images, then re-imports `f` (one triplet already imported from it) and expects it refused with
 * `message`, the store unchanged and the stored triplet still on its anchor; returns that anchor's id.
 */
async function refusedWithoutRebinding(f: string, newImages: string[], message: RegExp): Promise<unknown> {
  const bound = db.prepare('SELECT anchor_id FROM triplets').pluck().get();
  addImages(db, newImages);
  const before = dump(db);
  await assert.rejects(importTriplets(db, f, 'train'), (err: AppError) => {
    assert.equal(err.code, 'INVALID_FILE');
    assert.match(err.message, message);
    return true;
  });
  assert.equal(dump(db), before, 'refused whole: nothing added, the stored triplet still names its image');
  assert.equal(db.prepare('SELECT anchor_id FROM triplets').pluck().get(), bound);
  return bound;
}

test('a file name that one image has exactly and another in a subfolder is ambiguous: a re-import never binds it to the newcomer', async () => {
  const f = file('a.jpg b.jpg c.jpg\n');
  assert.equal((await importTriplets(db, f, 'train')).added, 1);
  // A later import brings an `a.jpg` at the top of its folder (another photo).
  await refusedWithoutRebinding(f, ['a.jpg'], /ambiguous name "a\.jpg": matches a\.jpg, daisy\/a\.jpg/);
  // Its path names the image the triplet holds.
  const r = await importTriplets(db, file('daisy/a.jpg b.jpg c.jpg\n'), 'train');
  assert.deepEqual([r.added, r.duplicates], [0, 1]);
});

test('a field an earlier import of the file bound as written, which now also reads as another image, is ambiguous: a re-import never rebinds it', async () => {
  // A file from before escaping names a photo literally called `a%20b.jpg`; it binds to it.
  addImages(db, ['a%20b.jpg']);
  const f = file('a%20b.jpg b.jpg c.jpg\n');
  assert.equal((await importTriplets(db, f, 'train')).added, 1);
  // Later a photo called `a b.jpg` arrives: the same line now reads two ways.
  const bound = await refusedWithoutRebinding(f, ['a b.jpg'], /:1: ambiguous name "a%20b\.jpg": an earlier import of this file bound it to the image named "a%20b\.jpg", but read with its escapes it is now "a b\.jpg"; write "a%2520b\.jpg" to keep the first/);
  // Written as the message says, the line is the triplet already stored.
  writeFileSync(f, 'a%2520b.jpg b.jpg c.jpg\n');
  const again = await importTriplets(db, f, 'train');
  assert.deepEqual([again.added, again.duplicates], [0, 1]);
  assert.equal(db.prepare('SELECT anchor_id FROM triplets').pluck().get(), bound);
  // In any other file `a%20b.jpg` means `a b.jpg`, as export writes it.
  const other = await importTriplets(db, file('a%20b.jpg c.jpg b.jpg\n'), 'test');
  assert.equal(other.added, 1);
  assert.equal(db.prepare(`SELECT i.name FROM triplets t JOIN images i ON i.id = t.anchor_id WHERE t.split = 'test'`).pluck().get(), 'a b.jpg');
});

test('skipInvalid imports the good lines and reports the rest', async () => {
  const r = await importTriplets(db, file('a.jpg b.jpg c.jpg\nbad line\na.jpg b.jpg zzz.jpg\nroses/c.jpg d.jpg e.jpg\n'), 'test', { skipInvalid: true });
  assert.deepEqual([r.added, r.invalid.map((i) => i.line)], [2, [2, 3]]);
  assert.deepEqual(db.prepare('SELECT line FROM triplets ORDER BY seq').pluck().all(), [1, 4]);
});

test('a refused file says how many triplets its good lines would add: not blank, comment, stored or contradicting lines', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'train');
  const refused = async (text: string) => {
    try {
      await importTriplets(db, file(text), 'train');
    } catch (err) {
      return (err as AppError).details as { report: { addable?: number; refused: boolean } };
    }
    assert.fail('refused');
  };
  // Two comments, a blank line, a stored triplet, its contradiction, one new triplet and one bad line.
  const r = await refused('# one\n# two\n\na.jpg b.jpg c.jpg\na.jpg c.jpg b.jpg\nd.jpg e.jpg a.jpg\na.jpg nope.jpg c.jpg\n');
  assert.equal(r.report.addable, 1);
  assert.equal((await refused('a.jpg nope.jpg c.jpg\na.jpg b.jpg c.jpg\n')).report.addable, 0);
  const skipped = await importTriplets(db, file('# one\n# two\n\na.jpg b.jpg c.jpg\na.jpg c.jpg b.jpg\nd.jpg e.jpg a.jpg\na.jpg nope.jpg c.jpg\n'), 'train', { skipInvalid: true });
  assert.equal(skipped.added, 1, 'the count offered is what the import of the good lines adds');
});

test('a file with no triplet line (empty, or only blank and comment lines) is refused by name, store unchanged', async () => {
  const before = dump(db);
  for (const text of ['', '\n\n', '# only a comment\n\n']) {
    const f = file(text);
    await assert.rejects(importTriplets(db, f, 'train'), { code: 'INVALID_FILE', message: `${f} holds no triplet lines (it is empty, or only blank and comment lines); nothing was imported.` });
  }
  assert.equal(dump(db), before);
});

test('triplets already stored are duplicates (not added); a line repeated inside one file is kept', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'train');
  const r = await importTriplets(db, file('daisy/a.jpg b.jpg c.jpg\nd.jpg e.jpg a.jpg\nd.jpg e.jpg a.jpg\n'), 'train');
  assert.deepEqual([r.added, r.duplicates, r.repeatedInFile], [2, 1, 1], 'the repeat is kept, and counted in the report');
  const again = await importTriplets(db, file('d.jpg e.jpg a.jpg\n'), 'train');
  assert.deepEqual([again.added, again.duplicates], [0, 1]);
  // The same triplet in the test split is leakage: refused unless allowed.
  await assert.rejects(importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'test'), { code: 'INVALID_FILE', message: /leakage/ });
  const t = await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'test', { allowLeakage: true });
  assert.deepEqual([t.added, t.duplicates, t.leakage.triplets], [1, 0, 1]);
  assert.deepEqual(db.prepare(`SELECT seq FROM triplets WHERE split = 'train' ORDER BY seq`).pluck().all(), [1, 2, 3]);
});

test('a test file whose lines together use every image of a stored train triplet says that triplet now leaks; it is kept', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\nd.jpg e.jpg a.jpg\n'), 'train');
  // No line repeats a train triplet or uses only train images (e.jpg and dup are new to train),
  // but together they use a, b and c: train triplet 1 now leaks into test; triplet 2 (d, e, a) does not.
  const r = await importTriplets(db, file('a.jpg b.jpg x/dup.jpg\nc.jpg y/dup.jpg x/dup.jpg\n'), 'test');
  assert.deepEqual([r.added, r.leakage.triplets, r.leakage.completed, r.leakage.completedIds], [2, 0, 1, [1]]);
  assert.match(completedLeakWarning(r)!, /1 stored train triplet \(#1\) now uses only images of test triplets: this file's lines use all three images of each\. It was kept as it is/);
  assert.equal(db.prepare("SELECT COUNT(*) FROM triplets WHERE split = 'train' AND status = 'active'").pluck().get(), 2);
  // A leak that was there before is not this import's: another test line using a, b, c adds nothing to say.
  const again = await importTriplets(db, file('b.jpg c.jpg y/dup.jpg\n'), 'test');
  assert.equal(again.leakage.completed, undefined);
  // The other way round: a train line that brings x and y into train completes every test triplet.
  const back = await importTriplets(db, file('roses/d.jpg x/dup.jpg y/dup.jpg\n'), 'train');
  assert.deepEqual([back.added, back.leakage.completed, back.leakage.completedIds], [1, 3, [3, 4, 5]]);
});

test('a line imported anyway that repeats a stored triplet of the other split is said once, as that line', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'train');
  const r = await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'test', { allowLeakage: true });
  assert.deepEqual([r.added, r.leakage.triplets, r.leakage.lines[0].triplet?.id, r.leakage.completed], [1, 1, 1, undefined]);
});

test('a completed leak is said when the line leaking against the same triplet is skipped (--skip-invalid)', async () => {
  await importTriplets(db, file('a.jpg b.jpg c.jpg\n'), 'train');
  const r = await importTriplets(db, file('a.jpg b.jpg c.jpg\na.jpg d.jpg e.jpg\nb.jpg d.jpg e.jpg\nc.jpg d.jpg e.jpg\n'), 'test', { skipInvalid: true });
  assert.deepEqual([r.added, r.leakage.triplets, r.leakage.completed, r.leakage.completedIds], [3, 1, 1, [1]]);
});

test('export writes active triplets in import order with names as written and \\n endings', async () => {
  const src = file('\uFEFFa.jpg\tb.jpg c.jpg\r\n# c\r\nroses/c.jpg d.jpg e.jpg\r\n');
  await importTriplets(db, src, 'train');
  const out = join(root, 'out.txt');
  assert.deepEqual(exportTriplets(db, 'train', out).count, 2);
  assert.equal(readFileSync(out, 'utf8'), 'a.jpg b.jpg c.jpg\nroses/c.jpg d.jpg e.jpg\n');
  db.prepare(`UPDATE triplets SET status = 'excluded' WHERE line = 1`).run();
  exportTriplets(db, 'train', out);
  assert.equal(readFileSync(out, 'utf8'), 'roses/c.jpg d.jpg e.jpg\n');
  assert.equal(exportTriplets(db, 'test', out).count, 0);
  assert.equal(readFileSync(out, 'utf8'), '');
});
