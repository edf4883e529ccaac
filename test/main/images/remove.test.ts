// Removing images: only images no triplet uses go (the others are kept and named), in one undoable
// step that brings back every row the deletion took (paths, versions, suggestion answers) with the
// same ids; a dry run and a refused removal change nothing; the CLI says the same.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { Project } from '../../../src/main/project/project.js';
import type { Db } from '../../../src/main/store/db.js';
import { vectorSignature } from '../../../src/main/store/similar-reads.js';
import { cliRunner } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'ts-remove-images-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function photo(file: string, shade: number): Promise<void> {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade, g: 90, b: 255 - shade } } }).png().toBuffer());
}

const photos = join(root, 'photos');
before(async () => {
  for (let i = 0; i < 3; i++) await photo(join(photos, 'keep', `k${i}.png`), 10 + i * 20);
  for (let i = 0; i < 4; i++) await photo(join(photos, 'junk', `j${i}.png`), 120 + i * 20);
  await photo(join(photos, 'later', 'j0-copy.png'), 120); // same bytes as junk/j0.png: a second path of that image
});

type Answer = { anchor_id: number; pair_lo: number; pair_hi: number; answer: string };

/** Every row of the tables a removal touches, for before/after comparisons. */
function dump(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    images: all('SELECT * FROM images ORDER BY id'),
    // Path rows without their ids: undo gives them new ones (an id may have gone to a newer path).
    paths: all('SELECT image_id, abs_path, root, rel, bytes, mtime_ms, sha256, added_at FROM image_paths ORDER BY image_id, id'),
    versions: all('SELECT * FROM image_versions ORDER BY image_id, version'),
    answers: all('SELECT * FROM suggestion_answers ORDER BY anchor_id, pair_lo, pair_hi'),
    triplets: all('SELECT * FROM triplets ORDER BY id'),
  };
}

async function project(name: string): Promise<{ p: Project; id: (n: string) => number }> {
  const p = Project.init(join(root, name));
  await p.importImages(photos);
  const ids = new Map(p.listImages({ limit: 100 }).items.map((i) => [i.name, i.id]));
  const id = (n: string) => ids.get(n) ?? assert.fail(`no image ${n}`);
  p.createTriplet({ split: 'train', anchorId: id('keep/k0.png'), positiveId: id('keep/k1.png'), negativeId: id('junk/j3.png') });
  p.editTriplet(1, { kind: 'exclude' }); // an excluded triplet still keeps its images
  p.createTriplet({ split: 'test', anchorId: id('keep/k2.png'), positiveId: id('keep/k1.png'), negativeId: id('keep/k0.png') });
  // A rejected suggestion between two junk images: it must come back with them.
  p.answerSuggestion({ anchorId: id('junk/j0.png'), positiveId: id('junk/j1.png'), negativeId: id('junk/j2.png'), answer: 'reject' });
  return { p, id };
}

test('a folder: unused images go in one undoable step; images triplets use are kept and named; undo restores every row', async () => {
  const { p, id } = await project('folder');
  try {
    const start = dump(p.db);
    const historyBefore = p.history().length;
    const dry = p.removeImages({ folder: 'junk' }, { dryRun: true });
    assert.deepEqual(dry, { removed: 3, names: ['junk/j0.png', 'junk/j1.png', 'junk/j2.png'], kept: [{ id: id('junk/j3.png'), name: 'junk/j3.png', triplets: 1 }], keptCount: 1, dryRun: true });
    assert.deepEqual(dump(p.db), start, 'a dry run changes nothing');
    assert.equal(p.history().length, historyBefore);

    const r = p.removeImages({ folder: 'junk' });
    assert.deepEqual({ ...r, dryRun: true }, dry, 'the removal does what the dry run said');
    assert.deepEqual(p.listImages({ folder: 'junk' }).items.map((i) => i.name), ['junk/j3.png']);
    assert.equal(p.listImages({}).total, 4);
    const after = dump(p.db);
    assert.deepEqual(after.triplets, start.triplets, 'no triplet changed');
    assert.equal(after.answers.length, 0, 'the answer about removed images went with them');
    assert.equal(after.paths.length, start.paths.length - 4, 'j0.png had two paths (its byte-identical copy in later/)');
    const [step] = p.history();
    assert.equal(step.action, 'remove-images');
    assert.equal(step.images, 3);
    assert.match(step.note ?? '', /^3 images removed: junk\/j0\.png, junk\/j1\.png, junk\/j2\.png$/);

    assert.equal(p.undo()?.action, 'remove-images');
    assert.deepEqual(dump(p.db), start, 'undo restores every row with its id');
    assert.equal(p.redo()?.action, 'remove-images');
    assert.deepEqual(dump(p.db), after, 'redo removes them again');
    // A suggestion shown before the removal is answered after it: a clear NOT_FOUND, nothing stored.
    assert.throws(
      () => p.answerSuggestion({ anchorId: id('keep/k0.png'), positiveId: id('junk/j1.png'), negativeId: id('keep/k2.png'), answer: 'reject' }),
      (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /no longer in the project/.test(e.message),
    );
    assert.equal(p.undo()?.images, 3);
    assert.deepEqual(dump(p.db), start);
  } finally {
    p.close();
  }
});

test('nothing matching, or every image in a triplet: nothing changes; a read-only project refuses', async () => {
  const { p, id } = await project('refused');
  try {
    const start = dump(p.db);
    const steps = p.history().length;
    // A folder is the first part of image names: the message says so (an imported folder's own name matched nothing).
    assert.throws(() => p.removeImages({ folder: 'nowhere' }), (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /No image name starts with "nowhere\/": a folder here is the first part of image names/.test(e.message));
    assert.throws(() => p.removeImages({}), (e: Error & { code?: string }) => e.code === 'BAD_ARGUMENTS', 'no filter is not "every unused image"');
    assert.throws(() => p.removeImages({ search: '', ids: [] }), (e: Error & { code?: string }) => e.code === 'BAD_ARGUMENTS');
    const all = p.removeImages({ ids: [id('keep/k0.png'), id('keep/k1.png')] });
    assert.deepEqual([all.removed, all.keptCount, all.kept.map((k) => k.triplets)], [0, 2, [2, 2]]);
    assert.deepEqual(dump(p.db), start);
    assert.equal(p.history().length, steps, 'a removal of nothing is no step');
  } finally {
    p.close();
  }
  const ro = Project.open(join(root, 'refused'), { readOnly: true });
  try {
    assert.throws(() => ro.removeImages({ folder: 'junk' }), /read-only|read only/i);
    assert.equal(ro.removeImages({ folder: 'junk' }, { dryRun: true }).removed, 3, 'a dry run only reads');
  } finally {
    ro.close();
  }
});

test('imported again after the removal: undo skips what is back; other content under the name stops undo with CONFLICT', async () => {
  const { p } = await project('reimport');
  try {
    p.removeImages({ folder: 'junk' });
    const again = await p.importImages(photos); // the files are still on disk
    assert.equal(again.added, 3);
    const back = dump(p.db);
    const undone = p.undo();
    assert.equal(undone?.action, 'remove-images', 'undo went past the (not undoable) import note to the removal');
    assert.deepEqual(dump(p.db).images, back.images, 'no second copy of an image that is back');
    const now = new Map(p.listImages({ folder: 'junk' }).items.map((i) => [i.name, i.id]));
    assert.deepEqual(
      dump(p.db).answers.map((a) => [(a as Answer).anchor_id, (a as Answer).pair_lo, (a as Answer).pair_hi, (a as Answer).answer]),
      [[now.get('junk/j0.png'), now.get('junk/j1.png'), now.get('junk/j2.png'), 'rejected']],
      'the rejection about the removed images is kept, under their ids now',
    );

    // Other content under a removed name.
    p.redo();
    await photo(join(photos, 'junk', 'j1.png'), 250);
    await p.importImages(photos);
    const changed = dump(p.db);
    assert.throws(() => p.undo(), (e: Error & { code?: string }) => e.code === 'CONFLICT' && /junk\/j1\.png/.test(e.message));
    assert.deepEqual(dump(p.db), changed, 'the refused undo changed nothing');
  } finally {
    p.close();
    await photo(join(photos, 'junk', 'j1.png'), 140); // as before, for the other tests
  }
});

test('the same files imported again under other names after a removal: undo gives no photo a second id', async () => {
  const { p } = await project('renamed');
  try {
    p.removeImages({ folder: 'junk' });
    // The junk folder imported on its own: its files come back named j0.png… instead of junk/j0.png.
    const again = await p.importImages(join(photos, 'junk'));
    assert.equal(again.added, 3, 'j0–j2 (j3 stayed: a triplet uses it)');
    const back = dump(p.db);
    assert.equal(p.undo()?.action, 'remove-images');
    const images = dump(p.db).images as { sha256: string }[];
    assert.equal(new Set(images.map((i) => i.sha256)).size, images.length, 'one image per photo');
    assert.deepEqual(dump(p.db).images, back.images);
    assert.equal(p.redo()?.action, 'remove-images', 'redo is still possible and changes nothing the files need');
  } finally {
    p.close();
  }
});

test('a triplet deleted before its image was removed and imported again comes back onto the image under its new id', async () => {
  const { p, id } = await project('deleted-then-back');
  try {
    // A train triplet on junk images, deleted; then the junk folder removed and imported again.
    const t = p.createTriplet({ split: 'train', anchorId: id('junk/j0.png'), positiveId: id('junk/j1.png'), negativeId: id('keep/k0.png') }).id;
    p.editTriplet(t, { kind: 'delete' });
    p.removeImages({ folder: 'junk' });
    await p.importImages(photos);
    const now = new Map(p.listImages({ folder: 'junk' }).items.map((i) => [i.name, i.id]));
    assert.notEqual(now.get('junk/j0.png'), id('junk/j0.png'), 'the photo is back under a new id');
    assert.equal(p.undo()?.action, 'remove-images');
    // Undoing the delete puts the triplet back on the images as they are now (it failed the foreign key before).
    assert.equal(p.undo()?.action, 'delete');
    const back = p.db.prepare('SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE id = ?').get(t);
    assert.deepEqual(back, { a: now.get('junk/j0.png'), p: now.get('junk/j1.png'), n: id('keep/k0.png') });
    // Older steps are in reach again: the triplet's creation.
    assert.equal(p.undo()?.action, 'create');
  } finally {
    p.close();
  }
});

test('undo after only some removed images came back: those are skipped, the rest restored, the answer joins both', async () => {
  const { p, id } = await project('partly-back');
  try {
    p.removeImages({ folder: 'junk' });
    const alone = join(root, 'j1-alone');
    await photo(join(alone, 'junk', 'j1.png'), 140); // junk/j1.png's bytes, under its name
    assert.equal((await p.importImages(alone)).added, 1);
    const j1 = p.listImages({ search: 'junk/j1.png' }).items[0].id;
    assert.notEqual(j1, id('junk/j1.png'), 'the re-import has a new id');
    assert.equal(p.undo()?.action, 'remove-images');
    assert.deepEqual(
      p.listImages({ folder: 'junk' }).items.map((i) => [i.name, i.id]),
      [['junk/j0.png', id('junk/j0.png')], ['junk/j1.png', j1], ['junk/j2.png', id('junk/j2.png')], ['junk/j3.png', id('junk/j3.png')]],
    );
    const [a] = dump(p.db).answers as Answer[];
    assert.deepEqual([a.anchor_id, [a.pair_lo, a.pair_hi].sort((x, y) => x - y)], [id('junk/j0.png'), [j1, id('junk/j2.png')].sort((x, y) => x - y)]);
    assert.equal(a.pair_lo < a.pair_hi, true);
    // Redo removes the three again, the one back under its new id too (it said "removed" and left it);
    // the undo after it brings each back under the id it had. (j3 stays: a triplet uses it.)
    const undone = dump(p.db);
    assert.equal(p.redo()?.action, 'remove-images');
    assert.deepEqual(p.listImages({ folder: 'junk' }).items.map((i) => i.name), ['junk/j3.png']);
    assert.equal(p.undo()?.action, 'remove-images');
    assert.deepEqual(dump(p.db), undone);
    // The rejection still holds: answering the same suggestion again replaces it, never adds one.
    p.answerSuggestion({ anchorId: id('junk/j0.png'), positiveId: j1, negativeId: id('junk/j2.png'), answer: 'reject' });
    assert.equal(dump(p.db).answers.length, 1);
  } finally {
    p.close();
  }
});

test('a removed id is never given to a new image, so undo brings back the same picture under it', async () => {
  const { p, id } = await project('ids');
  try {
    await photo(join(root, 'extra', 'x.png'), 33);
    await p.importImages(join(root, 'extra'));
    const newest = Math.max(...p.listImages({ limit: 100 }).items.map((i) => i.id));
    const name = p.listImages({ ids: [newest] }).items[0].name;
    assert.equal(name, 'x.png', 'the newest image, in no triplet');
    assert.equal(p.removeImages({ ids: [newest] }).removed, 1);
    await photo(join(root, 'more', 'new.png'), 77);
    assert.equal((await p.importImages(join(root, 'more'))).added, 1);
    const fresh = p.listImages({ search: 'new.png' }).items[0];
    assert.ok(fresh.id > newest, `the new image got id ${fresh.id}, the removed one had ${newest}`);
    assert.equal(p.undo()?.action, 'remove-images');
    assert.equal(p.listImages({ ids: [newest] }).items[0].name, name);
    assert.ok(id('keep/k0.png'));
  } finally {
    p.close();
  }
});

test("the similarity search's cache sees a removal undone and another made", async () => {
  const { p, id } = await project('signature');
  try {
    const key = { backbone: 'mobilenet_v1_0.75_224', weights: 'w', preprocessing: 'p' };
    p.removeImages({ ids: [id('junk/j0.png')] });
    const first = vectorSignature(p.db, key);
    p.undo();
    p.removeImages({ ids: [id('junk/j1.png')] });
    assert.notEqual(vectorSignature(p.db, key), first, 'same count and largest id, another set of images');
  } finally {
    p.close();
  }
});

test('remove-images through the CLI: dry run, --json, kept images, exit codes, undo', async () => {
  const cli = cliRunner(join(root, 'appdata'));
  const { p } = await project('cli');
  p.close();
  const dir = join(root, 'cli');
  const dry = await cli('remove-images', dir, '--folder', 'junk', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Would remove 3 images; 1 image kept \(used by triplets/);
  assert.match(dry.stdout, /kept junk\/j3\.png: used by 1 triplet/);

  const both = await cli('remove-images', dir, 'junk/j0.png', '--folder', 'junk');
  assert.equal(both.code, 1);
  assert.match(both.stderr, /not both/);
  const none = await cli('remove-images', dir);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /Name the images to remove/);
  const unknown = await cli('remove-images', dir, 'junk/j0.png', 'nope.png');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /nope\.png.*nothing was removed/);

  const kept = await cli('--json', 'remove-images', dir, 'keep/k0.png');
  assert.equal(kept.code, 1, 'every chosen image kept: not a success');
  assert.equal(JSON.parse(kept.stdout).keptCount, 1);

  const r = await cli('--json', 'remove-images', dir, 'j0.png', 'junk/j1.png');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { removed: 2, names: ['junk/j0.png', 'junk/j1.png'], kept: [], keptCount: 0, dryRun: false });
  const undo = await cli('undo', dir);
  assert.match(undo.stdout, /Undone: remove-images \(2 images removed: junk\/j0\.png, junk\/j1\.png\)/);
  const check = Project.open(dir);
  try {
    assert.equal(check.listImages({}).total, 7);
  } finally {
    check.close();
  }
});
