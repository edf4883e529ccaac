// Bad-input corpus for triplet files: every input is generated here (nothing big is committed) and
// each case asserts the exact outcome: imported, skipped with its reason, or refused with file:line
// and the store unchanged. Most cases run the import in this thread (runTripletImport, the code the
// worker runs); the ones about the worker (refusal, cancel, big files) go through importTriplets.
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { AppError } from '../../src/shared/errors.js';
import type { Split, TripletImportReport } from '../../src/shared/types.js';
import { openDb, type Db } from '../../src/main/store/db.js';
import { encodeName, decodeField } from '../../src/main/triplets/escape.js';
import { exportTriplets } from '../../src/main/triplets/export.js';
import { importTriplets } from '../../src/main/triplets/import.js';
import { runTripletImport, type TripletImportOptions } from '../../src/main/triplets/import-run.js';
import { createTriplet, editTriplet } from '../../src/main/triplets/store.js';

const root = mkdtempSync(join(tmpdir(), 'ts-corpus-triplets-'));
let db: Db;
let n = 0;

const IMAGES = ['daisy/a.jpg', 'daisy/b.jpg', 'roses/c.jpg', 'roses/d.jpg', 'tulips/e.jpg', 'tulips/f.jpg', 'x/dup.jpg', 'y/dup.jpg', 'g.jpg', 'h.jpg', 'i.jpg'];
/** Names a plain triplet file cannot carry, and two that it can but that look like escapes. */
const ODD = ['my photo.jpg', '#hash.jpg', 'tab\tname.jpg', 'new\nline.jpg', 'back\\slash.jpg', 'ctl\u0001.jpg', '100%.jpg', 'pct%41.jpg', 'nbsp\u00a0x.jpg', 'mac\u202fshot.png', 'café.jpg'];

function addImages(target: Db, names: string[]): void {
  const ins = target.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0)`);
  for (const name of names) {
    const i = name.lastIndexOf('/');
    ins.run(name, name.slice(i + 1), i < 0 ? '' : name.slice(0, i), `/x/${name}`, name);
  }
}

function freshDb(): Db {
  const d = openDb(join(mkdtempSync(join(root, 'p-')), 'project.sqlite'));
  addImages(d, [...IMAGES, ...ODD]);
  return d;
}

function file(text: string | Buffer, name = `t${n++}.txt`): string {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
}

/** Every table's contents: a refused or cancelled import must leave this unchanged. */
function dump(target: Db = db): string {
  const tables = target.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  return JSON.stringify(tables.map((t) => [t, target.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()]));
}

const imp = (path: string, split: Split, opts: TripletImportOptions = {}, target: Db = db) => runTripletImport(target, path, split, opts);

/** The refusal (INVALID_FILE) of an import, asserting the store did not change. */
async function refused(run: () => Promise<unknown>): Promise<{ message: string; report: TripletImportReport }> {
  const before = dump();
  const err = await run().then(
    () => assert.fail('expected the file to be refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, String(err));
  assert.equal(err.code, 'INVALID_FILE');
  assert.equal(dump(), before, 'store changed by a refused import');
  const report = (err.details as { report: TripletImportReport }).report;
  assert.equal(report.refused, true);
  return { message: err.message, report };
}

const lines = (r: TripletImportReport) => r.invalid.map((i) => [i.line, i.message]);
const tripletsIn = (split: Split) => db.prepare(`SELECT anchor_name || ' ' || positive_name || ' ' || negative_name FROM triplets WHERE split = ? ORDER BY seq`).pluck().all(split);

beforeEach(() => {
  db?.close();
  db = freshDb();
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

test('malformed lines: refused with file:line, store unchanged; --skip-invalid keeps the good lines', async () => {
  const f = file(['a.jpg b.jpg c.jpg', 'a.jpg b.jpg', 'a.jpg b.jpg c.jpg d.jpg', 'a.jpg a.jpg c.jpg', 'a.jpg bad%FF.jpg c.jpg', 'x'.repeat(70_000)].join('\n'));
  const { message, report } = await refused(() => imp(f, 'train'));
  assert.deepEqual(lines(report), [
    [2, 'expected 3 names (anchor positive negative), found 2'],
    [3, 'expected 3 names (anchor positive negative), found 4'],
    [4, 'the same image is used twice in one triplet'],
    [5, 'invalid escape in "bad%FF.jpg": %FF is not UTF-8 text'],
    [6, 'line too long (70000 bytes; at most 64 KiB)'],
  ]);
  assert.match(message, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 5 invalid lines; nothing imported`));
  assert.ok(message.includes(`${f}:2: expected 3 names`));
  const ok = await imp(f, 'train', { skipInvalid: true });
  assert.deepEqual([ok.added, ok.invalidCount, ok.refused], [1, 5, false]);
  assert.deepEqual(tripletsIn('train'), ['a.jpg b.jpg c.jpg']);
});

test('unknown and ambiguous names, and two names for one image, are refused with their reason', async () => {
  const f = file('a.jpg nope.jpg c.jpg\ndup.jpg a.jpg b.jpg\na.jpg daisy/a.jpg c.jpg\n');
  const { report } = await refused(() => imp(f, 'train'));
  assert.deepEqual(lines(report), [
    [1, 'unknown image "nope.jpg"'],
    [2, 'ambiguous name "dup.jpg": matches x/dup.jpg, y/dup.jpg'],
    [3, 'the same image is used twice in one triplet: "a.jpg" and "daisy/a.jpg" both name it (a unique file name stands for its image, and identical copies are imported as one image)'],
  ]);
});

test('re-import after swap, exclude, delete and move adds nothing and says what the user changed', async () => {
  const f = file('a.jpg b.jpg c.jpg\nroses/d.jpg e.jpg f.jpg\ng.jpg h.jpg i.jpg\na.jpg e.jpg f.jpg\nd.jpg a.jpg b.jpg\n');
  const first = await imp(f, 'train');
  assert.equal(first.added, 5);
  const id = (line: number) => db.prepare('SELECT id FROM triplets WHERE line = ?').pluck().get(line) as number;
  editTriplet(db, id(1), { kind: 'swap' });
  editTriplet(db, id(2), { kind: 'exclude' });
  editTriplet(db, id(3), { kind: 'delete' });
  editTriplet(db, id(4), { kind: 'move', split: 'test' });
  const before = tripletsIn('train');
  const again = await imp(f, 'train');
  // Before this change the swapped line came back in its original orientation (added: 1 or more).
  assert.equal(again.added, 0);
  assert.deepEqual(tripletsIn('train'), before);
  assert.deepEqual(
    again.conflicts.map((c) => [c.line, c.kind, c.reason, c.triplet?.id ?? null]),
    [
      [1, 'swapped', `you swapped it (triplet #${id(1)})`, id(1)],
      [2, 'excluded', `you excluded it (triplet #${id(2)})`, id(2)],
      [3, 'deleted', 'you deleted it (triplet #3)', null],
      [4, 'moved', `you moved it to test (triplet #${id(4)})`, id(4)],
      [5, 'repeat', `already present as triplet #${id(5)} from ${f.split('/').pop()}:5`, id(5)],
    ],
  );
  assert.deepEqual([again.conflictCount, again.duplicates, again.refused, again.leakage.triplets], [5, 1, false, 0]);
});

test('a line that contradicts another file is not added; one that contradicts its own file is invalid', async () => {
  const train = file('a.jpg b.jpg c.jpg\n', 'train.txt');
  await imp(train, 'train');
  const noisy = await imp(file('a.jpg c.jpg b.jpg\nd.jpg e.jpg f.jpg\n'), 'train');
  assert.deepEqual([noisy.added, noisy.conflicts.map((c) => [c.line, c.kind, c.reason])], [1, [[1, 'contradicts', 'contradicts triplet #1 from train.txt:1']]]);
  const { report } = await refused(() => imp(file('g.jpg h.jpg i.jpg\ng.jpg i.jpg h.jpg\ng.jpg h.jpg i.jpg\n'), 'train'));
  assert.deepEqual(lines(report), [[2, 'contradicts line 1 of this file (positive and negative the other way round)']]);
});

test('a line repeated inside one file is kept (export gives the file back)', async () => {
  const text = 'a.jpg b.jpg c.jpg\nd.jpg e.jpg f.jpg\na.jpg b.jpg c.jpg\n';
  const r = await imp(file(text), 'test');
  assert.deepEqual([r.added, r.duplicates, r.conflictCount], [3, 0, 0]);
  const out = join(root, 'out-repeat.txt');
  exportTriplets(db, 'test', out);
  assert.equal(readFileSync(out, 'utf8'), text);
});

test('train.txt imported as test is leakage: refused (store unchanged); skipped or imported on request', async () => {
  const train = file('a.jpg b.jpg c.jpg\nd.jpg e.jpg f.jpg\n', 'train.txt');
  await imp(train, 'train');
  const { message, report } = await refused(() => imp(train, 'test'));
  assert.deepEqual([report.leakage.triplets, report.leakage.sharedImages, report.added], [2, 6, 0]);
  assert.deepEqual(
    report.leakage.lines.map((l) => [l.line, l.reason]),
    [
      [1, 'same triplet as train triplet #1 from train.txt:1'],
      [2, 'same triplet as train triplet #2 from train.txt:2'],
    ],
  );
  assert.match(message, /WARNING: train\/test leakage: 2 lines of this test file/);
  // A different triplet whose three images are all used by train triplets leaks too.
  const mixed = file('a.jpg e.jpg f.jpg\ng.jpg h.jpg a.jpg\n');
  const skipped = await imp(mixed, 'test', { skipInvalid: true });
  assert.deepEqual([skipped.added, skipped.leakage.triplets, skipped.leakage.sharedImages], [1, 1, 3]);
  assert.equal(skipped.leakage.lines[0].reason, 'all three images are used by train triplets');
  const allowed = await imp(train, 'test', { allowLeakage: true });
  assert.deepEqual([allowed.added, allowed.leakage.triplets, allowed.leakage.allowed], [2, 2, true]);
});

test('names the format cannot carry are escaped on export and read back; clean names stay byte for byte', async () => {
  assert.deepEqual(
    ODD.map(encodeName),
    ['my%20photo.jpg', '%23hash.jpg', 'tab%09name.jpg', 'new%0Aline.jpg', 'back%5Cslash.jpg', 'ctl%01.jpg', '100%.jpg', 'pct%2541.jpg', 'nbsp%C2%A0x.jpg', 'mac%E2%80%AFshot.png', 'café.jpg'],
  );
  for (const name of [...ODD, ...IMAGES]) assert.deepEqual(decodeField(encodeName(name)), { name });
  const ids = new Map((db.prepare('SELECT name, id FROM images').raw().all() as [string, number][]).map(([k, v]) => [k, v]));
  for (let i = 0; i + 2 < ODD.length; i += 3) createTriplet(db, { split: 'train', anchorId: ids.get(ODD[i])!, positiveId: ids.get(ODD[i + 1])!, negativeId: ids.get(ODD[i + 2])! });
  const out = join(root, 'odd.txt');
  exportTriplets(db, 'train', out);
  const written = readFileSync(out, 'utf8');
  assert.equal(written, 'my%20photo.jpg %23hash.jpg tab%09name.jpg\nnew%0Aline.jpg back%5Cslash.jpg ctl%01.jpg\n100%.jpg pct%2541.jpg nbsp%C2%A0x.jpg\n');
  // Into a fresh project: same images, same bytes out again.
  const other = freshDb();
  try {
    const r = await imp(out, 'train', {}, other);
    assert.deepEqual([r.added, r.invalidCount], [3, 0]);
    const names = other.prepare(`SELECT a.name, p.name, n.name FROM triplets t JOIN images a ON a.id = t.anchor_id JOIN images p ON p.id = t.positive_id JOIN images n ON n.id = t.negative_id ORDER BY t.seq`).raw().all();
    assert.deepEqual(names.flat(), ODD.slice(0, 9));
    const again = join(root, 'odd-again.txt');
    exportTriplets(other, 'train', again);
    assert.ok(readFileSync(again).equals(readFileSync(out)));
  } finally {
    other.close();
  }
});

test('#-names: a # line is a comment, but one naming an image is refused with the escape to use', async () => {
  const { report } = await refused(() => imp(file('# anchor positive negative\n#hash.jpg b.jpg c.jpg\n'), 'train'));
  assert.deepEqual(lines(report), [[2, 'a line starting with "#" is a comment, but "#hash.jpg" is an image: write its name as %23hash.jpg']]);
  const r = await imp(file('# header\n%23hash.jpg b.jpg c.jpg\na.jpg #hash.jpg c.jpg\n#not an image\n'), 'train');
  assert.deepEqual([r.added, r.invalidCount], [2, 0]);
  assert.deepEqual(db.prepare('SELECT anchor_id FROM triplets ORDER BY seq LIMIT 1').pluck().get(), db.prepare(`SELECT id FROM images WHERE name = '#hash.jpg'`).pluck().get());
});

test('CRLF, lone CR and a BOM are read; line numbers are file lines; export writes \\n', async () => {
  const r = await imp(file(Buffer.from('\uFEFFa.jpg\tb.jpg c.jpg\r\n# c\r\n\rroses/d.jpg e.jpg f.jpg\r\n')), 'train');
  assert.deepEqual([r.added, r.lines], [2, 4]);
  assert.deepEqual(db.prepare('SELECT line FROM triplets ORDER BY seq').pluck().all(), [1, 4]);
  const out = join(root, 'crlf-out.txt');
  exportTriplets(db, 'train', out);
  assert.equal(readFileSync(out, 'utf8'), 'a.jpg b.jpg c.jpg\nroses/d.jpg e.jpg f.jpg\n');
});

test('an NFD name finds the NFC image and is stored as written (round trip byte for byte)', async () => {
  const nfd = 'cafe\u0301.jpg';
  const text = `${nfd} a.jpg b.jpg\n`;
  const r = await imp(file(text), 'train');
  assert.deepEqual([r.added, r.invalidCount], [1, 0]);
  assert.equal(db.prepare('SELECT anchor_id FROM triplets').pluck().get(), db.prepare(`SELECT id FROM images WHERE name = 'café.jpg'`).pluck().get());
  const out = join(root, 'nfd-out.txt');
  exportTriplets(db, 'train', out);
  assert.equal(readFileSync(out, 'utf8'), text);
});

test('200k invalid lines: refused with a capped report (first 1,000 and the count), small message', async () => {
  const path = join(root, 'many-bad.txt');
  const out = createWriteStream(path);
  for (let i = 0; i < 200_000; i++) out.write(`a.jpg b.jpg missing-${i}.jpg\n`);
  await new Promise((r) => out.end(r));
  const { message, report } = await refused(() => importTriplets(db, path, 'train'));
  assert.equal(report.invalidCount, 200_000);
  assert.equal(report.invalid.length, 1000);
  assert.deepEqual(report.invalid.at(-1), { file: path, line: 1000, text: 'a.jpg b.jpg missing-999.jpg', message: 'unknown image "missing-999.jpg"' });
  assert.ok(message.length < 5000, `message is ${message.length} characters`);
  assert.match(message, /… and 199,980 more/);
  assert.ok(JSON.stringify(report).length < 300_000);
});

test('cancel rolls the whole import back (worker)', async () => {
  const path = join(root, 'many-good.txt');
  const out = createWriteStream(path);
  for (let i = 0; i < 600_000; i++) out.write('a.jpg b.jpg c.jpg\n');
  await new Promise((r) => out.end(r));
  const before = dump();
  const controller = new AbortController();
  const phases: string[] = [];
  const run = importTriplets(db, path, 'train', {}, {
    signal: controller.signal,
    onProgress: (p) => {
      phases.push(p.phase);
      if (p.done > 0) controller.abort();
    },
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.ok(phases.includes('importing'));
  assert.equal(dump(), before);
});
