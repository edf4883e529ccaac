// The import looks at a file's first bytes before reading it whole: images of every format the app
// imports pass, with the format sharp then finds; videos, archives and text are refused from their
// head, so a 3 GiB video beside the photos costs one small read instead of 3 GiB (before, reading it
// failed past 2 GiB with "File size … is greater than 2 GiB" as the reason it was skipped).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { importImages } from '../../../src/main/images/import.js';
import { importable, readHead } from '../../../src/main/images/sniff.js';
import { imageFormatOf } from '../../../src/shared/image-signature.js';
import { openDb } from '../../../src/main/store/db.js';

const root = mkdtempSync(join(tmpdir(), 'ts-sniff-'));
after(() => rmSync(root, { recursive: true, force: true }));

const picture = (format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif') =>
  sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 200, g: 80, b: 20 } } }).toFormat(format).toBuffer();

/** An ISO-BMFF file's start: box size, 'ftyp', major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const b = Buffer.alloc(size + 16);
  b.writeUInt32BE(size, 0);
  b.write(`ftyp${major}\0\0\0\0${compatible.join('')}`, 4, 'latin1');
  b.write('\0\0\0\x08free', size, 'latin1'); // the next box
  return b;
}

test('every format the app imports is recognised from its head, as sharp names it', async () => {
  const sharpName = { heic: 'heif', avif: 'heif' } as Record<string, string>;
  for (const format of ['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const) {
    const bytes = await picture(format);
    const meta = await sharp(bytes).metadata();
    const found = imageFormatOf(bytes.subarray(0, 64));
    assert.equal(found && (sharpName[found] ?? found), meta.format, format);
    assert.equal(importable(bytes.subarray(0, 64)), true, format);
  }
  assert.equal(imageFormatOf(ftyp('heic', 'mif1', 'heic')), 'heic', 'an iPhone photo');
  assert.equal(imageFormatOf(ftyp('mif1', 'heic')), 'heic');
  assert.equal(imageFormatOf(ftyp('mif1', 'miaf', 'avif')), 'avif', 'an AVIF whose major brand is mif1');
  assert.equal(imageFormatOf(Buffer.from('MM\0+\0\x08\0\0', 'latin1')), 'tiff', 'BigTIFF');
  assert.equal(imageFormatOf(Buffer.from('BM6\0\0\0', 'latin1')), 'bmp');
  assert.equal(importable(Buffer.from('BM6\0\0\0', 'latin1')), false, 'BMP is served by type but not imported (sharp does not decode it)');
});

test('videos, archives, documents and text are refused from their first bytes', () => {
  const refused: Record<string, Buffer> = {
    'an MP4 video': ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'),
    'a QuickTime video': ftyp('qt  ', 'qt  '),
    'a ZIP archive': Buffer.from('PK\x03\x04\x14\0\0\0', 'latin1'),
    'a PDF': Buffer.from('%PDF-1.7\n'),
    'an SVG': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    'a RIFF that is a WAV': Buffer.from('RIFF\x24\0\0\0WAVEfmt ', 'latin1'),
    'two bytes of a JPEG': Buffer.from([0xff, 0xd8]),
    'text': Buffer.from('not an image\n'),
  };
  for (const [what, head] of Object.entries(refused)) assert.equal(imageFormatOf(head), null, what);
});

test('an import skips a 3 GiB video by its head ("not an image"), and still imports a photo without an extension', async () => {
  const folder = join(root, 'DCIM');
  mkdirSync(folder);
  const video = join(folder, 'MVI_0001.MP4');
  writeFileSync(video, ftyp('isom', 'isom', 'mp41'));
  truncateSync(video, 3 * 2 ** 30); // sparse: no disk used
  writeFileSync(join(folder, 'IMG_0002'), await picture('jpeg'));
  // A BMP is an image, only not one the app reads: said so, with what to do.
  const bmp = join(folder, 'scan.bmp');
  writeFileSync(bmp, Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(62)]));
  assert.equal((await readHead(video)).length, 64, 'one small read');

  const projectDir = join(root, 'project');
  mkdirSync(projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  try {
    const r = await importImages(db, projectDir, folder);
    assert.equal(r.added, 1);
    assert.deepEqual(
      [...r.skipped].sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: video, reason: 'not an image (unsupported format)' },
        { path: bmp, reason: 'a BMP image, which is not supported: save it as PNG or JPEG to use it' },
      ],
    );
  } finally {
    db.close();
  }
});
