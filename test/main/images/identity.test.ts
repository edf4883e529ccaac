// Image identity (issue 7.1, issue 11.5/11.7): importing several folders never changes an existing
// image, identical bytes are one image with several paths, changed content is a flagged new version,
// names match in one Unicode form, EXIF orientation gives the upright size and thumbnail.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { MIGRATIONS } from '../../../src/main/store/migrations/index.js';
import { Project } from '../../../src/main/project/project.js';
import { tripletLinesFlagged } from '../../../src/main/triplets/listing.js';

const root = mkdtempSync(join(tmpdir(), 'ts-identity-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh project and an empty scratch folder. */
function setup(): { p: Project; dir: string } {
  const dir = join(root, `case${++n}`);
  mkdirSync(dir, { recursive: true });
  return { p: Project.init(join(dir, 'project')), dir };
}

/** A small PNG whose bytes depend on `seed`. */
function png(seed: number, w = 24, h = 16): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: 90 } } }).png().toBuffer();
}

function put(path: string, data: Buffer): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
}

function tripletFile(dir: string, text: string): string {
  return put(join(dir, `t${++n}.txt`), Buffer.from(text));
}

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

type Row = { id: number; name: string; sha256: string; abs_path: string };
const imagesOf = (p: Project) => p.db.prepare('SELECT id, name, sha256, abs_path FROM images ORDER BY id').all() as Row[];

test('equal relative paths from two imported folders are two images; the first one is not touched', async () => {
  const { p, dir } = setup();
  put(join(dir, 'cam1', 'IMG_0001.jpg'), await png(1));
  put(join(dir, 'cam2', 'IMG_0001.jpg'), await png(2));
  for (const i of [3, 4, 5]) put(join(dir, 'cam1', `x${i}.png`), await png(i));
  const first = await p.importImages(join(dir, 'cam1'));
  assert.equal(first.added, 4);
  const before = imagesOf(p).find((r) => r.name === 'IMG_0001.jpg')!;
  await p.importTriplets(tripletFile(dir, 'IMG_0001.jpg x3.png x4.png\n'), 'train');

  const second = await p.importImages(join(dir, 'cam2'));
  assert.deepEqual([second.added, second.updated, second.unchanged, second.duplicates?.length], [1, 0, 0, 0]);
  const rows = imagesOf(p);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.find((r) => r.id === before.id), before, 'the first folder’s image is unchanged');
  const other = rows.find((r) => r.abs_path === join(dir, 'cam2', 'IMG_0001.jpg'))!;
  assert.equal(other.name, 'cam2/IMG_0001.jpg', 'named under the imported folder');
  assert.equal(p.listTriplets().items[0].anchorId, before.id, 'the triplet still uses the first photo');
  // Folder-qualified names resolve; the bare relative path now fits two images and is refused.
  const t = await p.importTriplets(tripletFile(dir, 'cam2/IMG_0001.jpg x3.png x5.png\ncam1/IMG_0001.jpg x4.png x5.png\n'), 'train');
  assert.equal(t.added, 2);
  assert.deepEqual(
    p.listTriplets().items.map((x) => x.anchorId),
    [before.id, other.id, before.id],
  );
  await assert.rejects(() => p.importTriplets(tripletFile(dir, 'IMG_0001.jpg x3.png x5.png\n'), 'test'), /ambiguous name "IMG_0001.jpg": matches cam1\/IMG_0001.jpg, cam2\/IMG_0001.jpg/);
  // Re-importing both folders changes nothing.
  for (const cam of ['cam1', 'cam2']) {
    const again = await p.importImages(join(dir, cam));
    assert.equal(again.added + again.updated + again.duplicates.length, 0);
  }
  assert.deepEqual(imagesOf(p), rows);
  p.close();
});

test('a byte-identical copy is one image with two paths, reported as a duplicate', async () => {
  const { p, dir } = setup();
  const data = await png(10);
  put(join(dir, 'a', 'one.png'), data);
  put(join(dir, 'a', 'two.png'), await png(11));
  put(join(dir, 'b', 'copy.png'), data);
  await p.importImages(join(dir, 'a'));
  const r = await p.importImages(join(dir, 'b'));
  assert.deepEqual([r.added, r.updated], [0, 0]);
  assert.deepEqual(r.duplicates, [{ path: join(dir, 'b', 'copy.png'), of: 'one.png' }]);
  const list = await p.imagesWithPaths();
  assert.equal(list.length, 2);
  assert.deepEqual(list.find((i) => i.name === 'one.png')!.paths, [join(dir, 'a', 'one.png'), join(dir, 'b', 'copy.png')]);
  // Either name finds the one image.
  const t = await p.importTriplets(tripletFile(dir, 'copy.png two.png one.png\n'), 'train', { skipInvalid: true });
  assert.match(t.invalid[0]?.message ?? '', /same image is used twice/);
  p.close();
});

test('a file whose content changed is a new version: same image, its triplets flagged, old features no longer used', async () => {
  const { p, dir } = setup();
  const f = put(join(dir, 'pics', 'a.png'), await png(20));
  put(join(dir, 'pics', 'b.png'), await png(21));
  put(join(dir, 'pics', 'c.png'), await png(22));
  put(join(dir, 'pics', 'd.png'), await png(23));
  await p.importImages(join(dir, 'pics'));
  await p.importTriplets(tripletFile(dir, 'a.png b.png c.png\nb.png c.png d.png\n'), 'train');
  const a = imagesOf(p).find((r) => r.name === 'a.png')!;
  // Features of the old content, keyed by its sha256 like every cached vector.
  p.db.prepare(`INSERT INTO feature_cache (sha256, backbone, weights, preprocessing, dim, data) VALUES (?, 'x', 'w', 'p', 1, ?)`).run(a.sha256, Buffer.alloc(4));
  const cachedFor = (sha: string) => p.db.prepare('SELECT COUNT(*) FROM feature_cache WHERE sha256 = ?').pluck().get(sha);
  // A run's stored distances for both triplets.
  p.db.prepare(`INSERT INTO runs (id, status, options, backend) VALUES (1, 'finished', '{}', 'cpu')`).run();
  p.db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, 1, 0.5, 0.25), (1, 2, 0.25, 0.5)').run();

  writeFileSync(f, await png(99, 30, 30));
  const r = await p.importImages(join(dir, 'pics'));
  assert.deepEqual([r.added, r.updated, r.unchanged, r.flagged], [0, 1, 3, 1]);
  const now = imagesOf(p).find((x) => x.id === a.id)!;
  assert.equal(now.name, 'a.png');
  assert.notEqual(now.sha256, a.sha256, 'the stored hash follows the content');
  assert.equal(p.db.prepare('SELECT sha256 FROM image_versions WHERE image_id = ?').pluck().get(a.id), a.sha256, 'the old version is kept');
  assert.equal(cachedFor(now.sha256), 0, 'the new content has no features yet: the old ones are not served for it');
  assert.equal(cachedFor(a.sha256), 1, 'the old content keeps its cached features (reused if the file is reverted)');
  const [t1, t2] = p.listTriplets().items;
  assert.deepEqual(
    p.flaggedTriplets().map((x) => [x.tripletId, x.imageId]),
    [[t1.id, a.id]],
  );
  assert.match(t1.flag ?? '', /image "a.png" changed on disk/);
  assert.equal(t2.flag, undefined);
  // The CLI's listing says it too (as the README says: `flag` on listed triplets).
  const listed = tripletLinesFlagged(p.db);
  assert.deepEqual([listed[0].flag, listed[1].flag], [t1.flag, undefined]);
  assert.equal(t1.anchorId, a.id, 'not rebound');
  assert.deepEqual(p.db.prepare('SELECT triplet_id FROM predictions').pluck().all(), [t2.id], "the distances for the old photo went: that triplet is scored again");
  const flags = JSON.stringify(p.flaggedTriplets());
  assert.equal(p.clearTripletFlags([t1.id]), 1);
  assert.equal(p.flaggedTriplets().length, 0);
  // "Checked" is an undoable step: undo flags the triplet again as it was (it undid an earlier step).
  assert.equal(p.undo()!.action, 'clear-flags');
  assert.equal(JSON.stringify(p.flaggedTriplets()), flags);
  assert.equal(p.redo()!.action, 'clear-flags');
  assert.equal(p.flaggedTriplets().length, 0);
  p.close();
});

test('a photo changed under one of two paths: read from the path that still holds it, or flagged when both are one file (a symlinked folder)', async () => {
  const { p, dir } = setup();
  for (const f of ['p', 'q']) for (const i of [1, 2, 3]) put(join(dir, f, `d${i}.png`), await png(i));
  symlinkSync(join(dir, 'p'), join(dir, 'link'));
  await p.importImages(join(dir, 'p'));
  await p.importImages(join(dir, 'q')); // byte copies: more paths of the same images
  await p.importTriplets(tripletFile(dir, 'd1.png d2.png d3.png\n'), 'train');
  const [d1, d2] = imagesOf(p);

  // A copy in q still holds d1's photo: the image is read from there, p's new file is an image of its own.
  put(join(dir, 'p', 'd1.png'), await png(50));
  const r1 = await p.importImages(join(dir, 'p'));
  assert.deepEqual([r1.added, r1.updated, r1.flagged ?? 0], [1, 0, 0]);
  const now1 = imagesOf(p).find((r) => r.id === d1.id)!;
  assert.equal(now1.sha256, d1.sha256);
  assert.equal(now1.abs_path, join(dir, 'q', 'd1.png'), 'not the path that now holds another photo');
  assert.equal(sha256Of(now1.abs_path), d1.sha256);

  // p imported again through a symlink: d2 has a path under link/, which is the same file as p/d2.png.
  await p.importImages(join(dir, 'link'));
  rmSync(join(dir, 'q', 'd2.png'));
  put(join(dir, 'p', 'd2.png'), await png(60));
  const r2 = await p.importImages(join(dir, 'p'));
  assert.deepEqual([r2.updated, r2.flagged], [1, 1], 'the labelled photo is on disk nowhere: a new version, its triplet flagged');
  const now2 = imagesOf(p).find((r) => r.id === d2.id)!;
  assert.equal(now2.sha256, sha256Of(now2.abs_path), 'the image is what its file holds');
  assert.deepEqual(p.flaggedTriplets().map((f) => f.tripletId), [1]);
});

test('the report counts triplets to check, not flags: two changed photos of one triplet, or a second change, are one', async () => {
  const { p, dir } = setup();
  const pics = join(dir, 'pics');
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) {
    put(join(pics, `${name}.png`), await png(40 + i));
    // Distinct times: this test is about counting; one size and one time is the next test's case.
    utimesSync(join(pics, `${name}.png`), 1_700_000_000 + i, 1_700_000_000 + i);
  }
  await p.importImages(pics);
  await p.importTriplets(tripletFile(dir, 'a.png b.png c.png\nd.png c.png b.png\n'), 'train');
  // a and b trade files: both images of the first triplet (and b of the second) changed.
  renameSync(join(pics, 'a.png'), join(pics, 'x.png'));
  renameSync(join(pics, 'b.png'), join(pics, 'a.png'));
  renameSync(join(pics, 'x.png'), join(pics, 'b.png'));
  const r = await p.importImages(pics);
  assert.equal(r.updated, 2);
  assert.equal(r.flagged, 2, 'two triplets to check (was 3: one per flag)');
  assert.equal(p.flaggedTriplets().length, 3, 'each flag names its changed image');
  // a changed again before anyone checked: the one triplet using it, flagged already, counted once.
  put(join(pics, 'a.png'), await png(99));
  assert.equal((await p.importImages(pics)).flagged, 1);
  assert.equal(new Set(p.flaggedTriplets().map((f) => f.tripletId)).size, 2);
  p.close();
});

test('photos of one size and one mtime swapped by name, or written over with their times kept, are noticed', async () => {
  const { p, dir } = setup();
  const pics = join(dir, 'pics');
  const at = (name: string) => join(pics, `${name}.png`);
  const sameTime = (name: string) => utimesSync(at(name), 1_700_000_000, 1_700_000_000);
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) (put(at(name), await png(60 + i)), sameTime(name));
  assert.equal(new Set(['a', 'b', 'c', 'd'].map((x) => statSync(at(x)).size)).size, 1, 'the case needs one size');
  await p.importImages(pics);
  await p.importTriplets(tripletFile(dir, 'a.png b.png c.png\n'), 'train');
  const ids = Object.fromEntries(imagesOf(p).map((r) => [r.name, r]));

  // Swapped by name: size and mtime at each path are as recorded, the files are not.
  renameSync(at('a'), at('x'));
  renameSync(at('b'), at('a'));
  renameSync(at('x'), at('b'));
  const swapped = await p.importImages(pics);
  assert.deepEqual([swapped.updated, swapped.unchanged, swapped.flagged], [2, 2, 1], 'was 0 updated: the swap went unseen');
  const after = Object.fromEntries(imagesOf(p).map((r) => [r.name, r]));
  assert.equal(after['a.png'].sha256, ids['b.png'].sha256, 'the image named a.png now holds the photo in a.png');
  assert.equal(p.listTriplets().items[0].anchorId, ids['a.png'].id, 'its triplet is flagged, not rebound');
  assert.match(p.flaggedTriplets()[0].reason, /image "a.png" changed on disk/);

  // Written over in place with the same size, its mtime put back (a copy that keeps times): the change time moved.
  put(at('d'), await png(70));
  sameTime('d');
  assert.equal(statSync(at('d')).size, statSync(at('c')).size);
  const overwritten = await p.importImages(pics);
  assert.deepEqual([overwritten.updated, overwritten.unchanged], [1, 3]);
  assert.equal(imagesOf(p).find((r) => r.name === 'd.png')!.sha256, sha256Of(at('d')));
  p.close();
});

test('a project from before 0015 (no file numbers) is migrated; its files are hashed once on re-import, not decoded', async () => {
  const { p: made, dir } = setup();
  const pics = join(dir, 'pics');
  for (const i of [1, 2, 3]) put(join(pics, `p${i}.png`), await png(80 + i));
  await made.importImages(pics);
  // Back to schema 14, as a project made before 0015 is.
  made.db.exec('ALTER TABLE image_paths DROP COLUMN ino; ALTER TABLE image_paths DROP COLUMN ctime_ms; DROP TABLE deleted_runs; ALTER TABLE history DROP COLUMN made_by; ALTER TABLE history DROP COLUMN undone_by; DROP TRIGGER triplets_seq_left_on_delete; DROP TRIGGER triplets_seq_left_on_move; DROP TABLE seq_high; DROP INDEX history_at; PRAGMA user_version = 14');
  made.close();
  const p = Project.open(made.dir);
  assert.equal(p.db.pragma('user_version', { simple: true }), MIGRATIONS.at(-1)!.version);
  // A thumbnail removed: a decode would write it again; a hash check does not.
  const thumb = join(p.dir, (p.db.prepare("SELECT thumb FROM images WHERE name = 'p1.png'").get() as { thumb: string }).thumb);
  rmSync(thumb);
  const again = await p.importImages(pics);
  assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 3]);
  assert.equal(existsSync(thumb), false, 'hashed, not decoded');
  const rows = p.db.prepare('SELECT abs_path, ino, ctime_ms FROM image_paths ORDER BY id').all() as { abs_path: string; ino: number; ctime_ms: number }[];
  assert.deepEqual(
    rows.map((r) => [r.ino, r.ctime_ms]),
    rows.map((r) => [statSync(r.abs_path).ino, statSync(r.abs_path).ctimeMs]),
    'the file numbers and change times are recorded',
  );
  p.close();
});

test('names are stored NFC; a name typed in NFC or NFD resolves either way', async () => {
  const { p, dir } = setup();
  const nfd = 'cafe\u0301.png';
  const nfc = 'caf\u00e9.png';
  put(join(dir, 'pics', nfd), await png(30));
  put(join(dir, 'pics', 'b.png'), await png(31));
  put(join(dir, 'pics', 'c.png'), await png(32));
  const r = await p.importImages(join(dir, 'pics'));
  assert.equal(r.added, 3);
  assert.ok(imagesOf(p).some((x) => x.name === nfc), 'stored in NFC');
  assert.equal((await p.importTriplets(tripletFile(dir, `${nfc} b.png c.png\n`), 'train')).added, 1);
  assert.equal((await p.importTriplets(tripletFile(dir, `b.png ${nfd} c.png\n`), 'train')).added, 1);
  // A name stored decomposed by an older version still matches NFC input.
  p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', '/x', 'x', 1, 1, 1, 1)`).run('Zu\u0308rich.png', 'Zu\u0308rich.png');
  assert.equal((await p.importTriplets(tripletFile(dir, 'Z\u00fcrich.png b.png c.png\n'), 'test')).added, 1);
  p.close();
});

test('an EXIF-rotated JPEG gets its upright size and an upright thumbnail', async () => {
  const { p, dir } = setup();
  // 60×40 pixels stored, orientation 6 (rotate 90° clockwise to view): upright it is 40 wide, 60 high.
  const jpg = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#c03030' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  put(join(dir, 'pics', 'rot.jpg'), jpg);
  await p.importImages(join(dir, 'pics'));
  const row = p.db.prepare(`SELECT id, width, height FROM images`).get() as { id: number; width: number; height: number };
  assert.deepEqual([row.width, row.height], [40, 60]);
  const thumb = await sharp(readFileSync(p.mediaPath('thumb', row.id)!)).metadata();
  assert.deepEqual([thumb.width, thumb.height], [40, 60]);
  assert.equal(p.db.prepare('SELECT orientation FROM images').pluck().get(), 6, 'the orientation is recorded');
  p.close();
});

test('a moved folder is the same images at a new place: nothing added, paths follow', async () => {
  const { p, dir } = setup();
  for (const i of [1, 2, 3]) put(join(dir, 'old', 'sub', `p${i}.png`), await png(40 + i));
  await p.importImages(join(dir, 'old'));
  const before = imagesOf(p);
  renameSync(join(dir, 'old'), join(dir, 'new'));
  const r = await p.importImages(join(dir, 'new'));
  assert.deepEqual([r.added, r.updated, r.unchanged, r.duplicates.length], [0, 0, 3, 0]);
  assert.deepEqual(
    imagesOf(p),
    before.map((b) => ({ ...b, abs_path: b.abs_path.replace(join(dir, 'old'), join(dir, 'new')) })),
  );
  p.close();
});
