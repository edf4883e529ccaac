// Keras-faithful preprocessing: the nearest resize must equal PIL's Image.resize(size, NEAREST)
// pixel for pixel (checked against a hand-made image always, and against PIL itself when a python3
// with PIL is installed), and the EXIF-upright option must rotate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { decodeRgb, pilNearestIndices, prepVersion } from '../../../../src/main/ml/features/preprocess.js';
import { flowersDir, skipWithoutShared } from '../../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-prep-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A w×h PNG whose pixel (x, y) is (x, y, 200): every output pixel names its source. */
async function gridPng(w: number, h: number): Promise<string> {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set([x, y, 200], (y * w + x) * 3);
  const file = join(root, `grid-${w}x${h}.png`);
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return file;
}

/** Source (x, y) of each output pixel of a decoded grid image. */
function sources(rgb: Uint8Array, size: number): { xs: number[]; ys: number[] } {
  const xs = Array.from({ length: size }, (_, x) => rgb[x * 3]);
  const ys = Array.from({ length: size }, (_, y) => rgb[y * size * 3 + 1]);
  return { xs, ys };
}

test('nearest resize picks the source pixels PIL picks (hand-computed)', async () => {
  // 8 → 7: PIL's position starts at 4/7 and adds 8/7 in double precision; output 3 lands at
  // 3.9999999999999996 → source 3 (not floor(3.5 · 8/7) = 4). 5 → 7 repeats pixels; 20 → 7 skips.
  const rgb = await decodeRgb(await gridPng(8, 5), 7, { resize: 'nearest', exif: false });
  assert.deepEqual(sources(rgb, 7), { xs: [0, 1, 2, 3, 5, 6, 7], ys: [0, 1, 1, 2, 3, 3, 4] });
  const wide = await decodeRgb(await gridPng(20, 7), 7, { resize: 'nearest', exif: false });
  assert.deepEqual(sources(wide, 7).xs, [1, 4, 7, 10, 12, 15, 18]);
  assert.deepEqual(sources(wide, 7).ys, [0, 1, 2, 3, 4, 5, 6], 'same size: rows copied');
  assert.deepEqual([...pilNearestIndices(4, 2)], [1, 3]);
  assert.equal(rgb[2], 200, 'blue channel kept');
});

test('preprocessing versions name the resize and the orientation', () => {
  assert.equal(prepVersion({ resize: 'nearest', exif: false }), 'keras-nearest-v1');
  assert.equal(prepVersion({ resize: 'antialias', exif: true }), 'antialias-v1+exif');
});

test('the EXIF-upright option rotates; the default reads the stored pixels as PIL does', async () => {
  const grid = await gridPng(8, 4);
  const file = join(root, 'rotated.png');
  // Orientation 6: the viewer rotates 90° clockwise, so the upright image is 4 wide and 8 high.
  await sharp(grid).withMetadata({ orientation: 6 }).png().toFile(file);
  assert.equal((await sharp(file).metadata()).orientation, 6);
  const raw = await decodeRgb(file, 4, { resize: 'nearest', exif: false });
  const upright = await decodeRgb(file, 4, { resize: 'nearest', exif: true });
  assert.deepEqual(sources(raw, 4), { xs: [1, 3, 5, 7], ys: [0, 1, 2, 3] });
  // After a clockwise turn, output column x comes from source row (3 − x), output row y from source column.
  assert.deepEqual([0, 1, 2, 3].map((x) => upright[x * 3 + 1]), [3, 2, 1, 0]);
  assert.deepEqual([0, 1, 2, 3].map((y) => upright[y * 4 * 3]), [1, 3, 5, 7]);
});

/** A python3 that can import PIL, or null. */
function pythonWithPil(): string | null {
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    try {
      execFileSync(py, ['-c', 'import PIL'], { stdio: 'ignore' });
      return py;
    } catch {
      /* try the next */
    }
  }
  return null;
}

const PY = pythonWithPil();
const PIL_SCRIPT = `
import sys
from PIL import Image
size = int(sys.argv[1])
for p in sys.argv[2:]:
    im = Image.open(p)
    if im.mode != 'RGB':
        im = im.convert('RGB')
    sys.stdout.buffer.write(im.resize((size, size), Image.NEAREST).tobytes())
`;

test(
  'nearest resize equals PIL Image.resize(NEAREST) byte for byte (grids and shared photos)',
  { skip: PY ? skipWithoutShared() : 'no python3 with PIL (apt-get install python3-pil, or set PYTHON)' },
  async () => {
    const files = [await gridPng(8, 5), await gridPng(320, 97), await gridPng(500, 375), await gridPng(1000, 3)];
    for (const cls of readdirSync(join(flowersDir(), 'images')).sort()) {
      files.push(...readdirSync(join(flowersDir(), 'images', cls)).sort().slice(0, 3).map((f) => join(flowersDir(), 'images', cls, f)));
    }
    for (const size of [224, 7]) {
      const ref = execFileSync(PY!, ['-c', PIL_SCRIPT, String(size), ...files], { maxBuffer: 1 << 28 });
      const n = size * size * 3;
      assert.equal(ref.length, n * files.length);
      for (let i = 0; i < files.length; i++) {
        const mine = await decodeRgb(files[i], size, { resize: 'nearest', exif: false });
        const diff = mine.findIndex((v, k) => v !== ref[i * n + k]);
        assert.equal(diff, -1, `${files[i]} at ${size}: first differing byte ${diff}`);
      }
    }
  },
);

test('greyscale, grey + alpha, 16-bit, palette, CMYK and alpha files decode to the RGB pixels of the photo they hold', { skip: skipWithoutShared() }, async () => {
  // The shared photos are all 8-bit sRGB JPEGs; a user's folder is not. Each encoding below must reach
  // the network as 3 channels of 8 bits matching the photo (a grey one: the photo's grey), not fail,
  // and not as 16-bit samples read as bytes or a grey channel taken for red.
  const cls = readdirSync(join(flowersDir(), 'images')).sort()[0];
  const photo = join(flowersDir(), 'images', cls, readdirSync(join(flowersDir(), 'images', cls)).sort()[0]);
  const base = join(root, 'base.png');
  await sharp(photo).png().toFile(base);
  const greyBase = join(root, 'grey-base.png');
  await sharp(base).toColourspace('b-w').png().toFile(greyBase);
  const variants: [string, (s: Sharp) => Sharp, string, number][] = [
    ['rgb16.png', (s) => s.toColourspace('rgb16').png(), base, 0.5],
    // Opaque, as screenshots and edited photos carry it (a translucent one is resized premultiplied, ±2 levels).
    ['alpha.png', (s) => s.ensureAlpha(1).png(), base, 0.5],
    ['palette.png', (s) => s.png({ palette: true, colours: 256 }), base, 6],
    ['cmyk.jpg', (s) => s.toColourspace('cmyk').jpeg({ quality: 95 }), base, 8],
    ['grey.png', (s) => s.toColourspace('b-w').png(), greyBase, 0.5],
    ['grey16.png', (s) => s.toColourspace('grey16').png(), greyBase, 0.5],
    ['grey-alpha.png', (s) => s.toColourspace('b-w').ensureAlpha(1).png(), greyBase, 0.5],
  ];
  for (const prep of [{ resize: 'antialias', exif: false }, { resize: 'nearest', exif: false }] as const) {
    for (const [name, encode, reference, tolerance] of variants) {
      const file = join(root, name);
      await encode(sharp(base)).toFile(file);
      const meta = await sharp(file).metadata();
      const want = await decodeRgb(reference, 224, prep);
      const got = await decodeRgb(file, 224, prep);
      assert.equal(got.length, 224 * 224 * 3, `${name} (${meta.channels} channels, ${meta.depth})`);
      const diff = got.reduce((s, v, i) => s + Math.abs(v - want[i]), 0) / got.length;
      assert.ok(diff <= tolerance, `${name} (${meta.space}, ${meta.channels} channels, ${meta.depth}) ${prep.resize}: mean difference ${diff.toFixed(2)} > ${tolerance}`);
    }
  }
});
