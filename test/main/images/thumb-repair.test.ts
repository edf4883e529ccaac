// Thumbnails missing from the project's thumbs/ folder (cleared to save space, left out of a copy) are
// written again from the image's file on the first request; importing the folder again would not bring
// them back, as unchanged files are skipped. Not from a file that is gone or whose content changed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { Project } from '../../../src/main/project/project.js';

const root = mkdtempSync(join(tmpdir(), 'ts-thumb-repair-'));
after(() => rmSync(root, { recursive: true, force: true }));

const png = (seed: number): Promise<Buffer> =>
  sharp({ create: { width: 300 + seed, height: 200, channels: 3, background: { r: (seed * 50) % 256, g: 120, b: 90 } } }).png().toBuffer();

test('a cleared thumbs/ folder: each thumbnail is written again from its file, the same as at import', async () => {
  const images = join(root, 'images');
  mkdirSync(images, { recursive: true });
  for (let i = 1; i <= 3; i++) writeFileSync(join(images, `p${i}.png`), await png(i));
  const p = Project.init(join(root, 'project'));
  try {
    await p.importImages(images);
    const id = (name: string) => p.listImages({ search: name }).items[0].id;
    const [one, two, three] = [id('p1'), id('p2'), id('p3')];
    const atImport = readFileSync((await p.thumbnail(one))!);
    rmSync(join(p.dir, 'thumbs'), { recursive: true });

    // Importing again skips the unchanged files: no thumbnail comes back that way.
    const again = await p.importImages(images);
    assert.equal(again.unchanged, 3);
    assert.equal(existsSync(p.mediaPath('thumb', one)!), false);

    // Asked for twice at once and beside another: the same file, the same bytes as at import.
    const [a, b, c] = await Promise.all([p.thumbnail(one), p.thumbnail(one), p.thumbnail(two)]);
    assert.equal(a, b);
    assert.deepEqual(readFileSync(a!), atImport);
    const meta = await sharp(readFileSync(c!)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 256, 170]);

    // An empty thumbnail (what a power cut can leave of a renamed file whose bytes were still in the
    // drive's cache) is missing too: written again, not served as a broken picture.
    writeFileSync(a!, '');
    assert.deepEqual(readFileSync((await p.thumbnail(one))!), atImport);

    // Not from a file whose content changed since import, nor from one that is gone.
    writeFileSync(join(images, 'p3.png'), await png(9));
    assert.equal(await p.thumbnail(three), null);
    rmSync(join(p.dir, 'thumbs'), { recursive: true });
    rmSync(join(images, 'p2.png'));
    assert.equal(await p.thumbnail(two), null);
    assert.equal(existsSync(p.mediaPath('thumb', two)!), false);

    // A store whose thumbnail path was edited to point elsewhere gets nothing written there.
    const elsewhere = join(root, 'elsewhere.webp');
    p.db.prepare('UPDATE images SET thumb = ? WHERE id = ?').run(`../${'elsewhere.webp'}`, one);
    assert.equal(await p.thumbnail(one), null);
    assert.equal(existsSync(elsewhere), false);

    // Nor through a thumbs/ that is a link to a folder outside the project (it was written there).
    const yours = join(root, 'your-folder');
    mkdirSync(yours);
    symlinkSync(yours, join(p.dir, 'thumbs'));
    writeFileSync(join(images, 'p3.png'), await png(3));
    assert.equal(await p.thumbnail(three), null);
    assert.deepEqual(readdirSync(yours), []);
  } finally {
    p.close();
  }
});
