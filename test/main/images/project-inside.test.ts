// A project kept inside the photo folder, or photos kept inside the project folder: an import takes
// the photos and leaves the project's own files out, reported as skipped. Before, the project's
// thumbs/ were imported as photos — a copy of every photo — and each import added the thumbnails'
// own thumbnails again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { Project } from '../../../src/main/project/project.js';

const root = mkdtempSync(join(tmpdir(), 'ts-project-inside-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function photos(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 40 * i, g: 90, b: 200 - 30 * i } } }).png().toBuffer();
    writeFileSync(join(dir, `p${i}.png`), png);
  }
}

test('a project inside the photo folder: photos imported once, the project left out and named', async () => {
  const folder = join(root, 'photos');
  await photos(join(folder, 'daisy'), 3);
  const project = Project.init(join(folder, 'my-project'));
  try {
    const first = await project.importImages(folder);
    assert.equal(first.added, 3);
    const again = await project.importImages(folder); // thumbs/ now exists beside the database
    assert.deepEqual([again.added, again.unchanged], [0, 3]);
    assert.equal(project.listImages({}).total, 3);
    const skipped = new Map(again.skipped.map((s) => [s.path, s.reason]));
    assert.equal(skipped.get(join(folder, 'my-project', 'thumbs')), "a Triplet Studio project's thumbnails (the app's own files, not photos)");
    assert.equal(skipped.get(join(folder, 'my-project', 'project.sqlite')), "a Triplet Studio project's database");
  } finally {
    project.close();
  }
});

test('photos inside the project folder are imported; its thumbs/, models/ and exports/ are not', async () => {
  const dir = join(root, 'project-with-photos');
  const project = Project.init(dir);
  try {
    await photos(join(dir, 'photos'), 2);
    await photos(join(dir, 'exports', 'run-1'), 1); // an image someone saved among the exports
    assert.equal((await project.importImages(dir)).added, 2);
    const again = await project.importImages(dir);
    assert.equal(again.added, 0);
    assert.deepEqual(project.listImages({}).items.map((i) => i.name).sort(), ['photos/p0.png', 'photos/p1.png']);
    assert.ok(again.skipped.some((s) => s.path === join(dir, 'exports') && /exported runs/.test(s.reason)));
  } finally {
    project.close();
  }
});
