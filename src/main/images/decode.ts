// Reads, hashes and decodes one image file and writes its thumbnail (shared by identical files).
// EXIF orientation is applied to the thumbnail and to the stored width/height (the upright image the
// user sees); features are computed elsewhere and are not affected by this.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { ScannedFile } from './scan.js';
import { importable, readHead, refusalText } from './sniff.js';
import { makeDirs } from '../util/make-dirs.js';

export const THUMB_SIZE = 256;
/** Formats accepted as images (sharp's names; AVIF is reported as 'heif'). */
const FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

export interface Decoded {
  file: ScannedFile;
  sha256: string;
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  /** EXIF orientation 1..8, null when the file has none. */
  orientation: number | null;
  thumb: string;
}

/**
 * A file re-read only to confirm it (its size and mtime matched but its number or change time did
 * not): its bytes are still those recorded, so it is neither decoded nor given a thumbnail again.
 */
export interface Confirmed {
  file: ScannedFile;
  sha256: string;
  confirmed: true;
}

export const thumbRelPath = (sha256: string): string => `thumbs/${sha256.slice(0, 2)}/${sha256}.webp`;

/** Orientations 5..8 turn the image a quarter: width and height swap. */
export const uprightSize = (w: number, h: number, orientation: number | null): [number, number] =>
  orientation !== null && orientation >= 5 && orientation <= 8 ? [h, w] : [w, h];

/** Reads, hashes and decodes `file`; when its hash is `expected` (the content last read there), stops after hashing. */
export async function decodeFile(file: ScannedFile, projectDir: string, expected?: string): Promise<Decoded | Confirmed> {
  // The first bytes first: a video or an archive is refused without being read whole (sniff.ts).
  const head = await readHead(file.path);
  if (head.length === 0) throw new Error('empty file');
  if (!importable(head)) throw new Error(refusalText(head));
  const buf = await readFile(file.path);
  if (buf.length === 0) throw new Error('empty file');
  const sha256 = createHash('sha256').update(buf).digest('hex');
  if (sha256 === expected) return { file, sha256, confirmed: true };
  const img = sharp(buf, { failOn: 'error' });
  const meta = await img.metadata();
  if (!meta.format || !FORMATS.has(meta.format)) throw new Error(`unsupported image format ${meta.format ?? 'unknown'}`);
  if (!meta.width || !meta.height) throw new Error('image has no size');
  const orientation = meta.orientation ?? null;
  const [width, height] = uprightSize(meta.width, meta.height, orientation);
  const thumb = thumbRelPath(sha256);
  // Decoding the full image for the thumbnail is also what detects truncated/corrupt files.
  await writeThumbnail(img, join(projectDir, thumb));
  return { file, sha256, width, height, orientation, thumb };
}

/** Writes the upright thumbnail of `img` to `thumbAbs`, beside and renamed (never half a file). */
async function writeThumbnail(img: Sharp, thumbAbs: string): Promise<void> {
  const tmp = `${thumbAbs}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  // <project>/thumbs/ab/<sha>.webp: the folders under the project are made, never the project folder
  // itself (moved away meanwhile, it would come back as a stray folder of thumbnails).
  const projectDir = join(thumbAbs, '..', '..', '..');
  if (!existsSync(projectDir)) throw Object.assign(new Error(`The project folder ${projectDir} is not there any more.`), { code: 'ENOENT' });
  makeDirs(join(thumbAbs, '..'));
  try {
    // rotate() with no angle turns the image upright by its EXIF orientation.
    await img.rotate().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toFile(tmp);
    await rename(tmp, thumbAbs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes a thumbnail again from the image's file when the file still holds the content it was
 * imported with (`sha256`); false when it is gone, changed or unreadable. Thumbnails live in the
 * project's own `thumbs/` folder, which a user may clear to save space or leave out of a copy;
 * importing the folder again would not bring them back (unchanged files are skipped). */
export async function rebuildThumbnail(path: string, sha256: string, thumbAbs: string): Promise<boolean> {
  try {
    const buf = await readFile(path);
    if (createHash('sha256').update(buf).digest('hex') !== sha256) return false;
    await writeThumbnail(sharp(buf, { failOn: 'error' }), thumbAbs);
    return true;
  } catch {
    return false;
  }
}

/** sharp's default limitInputPixels (0x3FFF × 0x3FFF): larger images are refused before they are decoded. */
const PIXEL_LIMIT_TEXT = `${((0x3fff * 0x3fff) / 1e6).toFixed(0)} million`;

/**
 * What an iPhone's HEIC photo meets: sharp's prebuilt libvips decodes AVIF but not the patented HEVC
 * inside HEIC (lovell/sharp#4050), and libheif says only "Unsupported codec".
 */
export const HEVC_TEXT =
  'a HEIC photo compressed with HEVC (as iPhones save them), which the image library bundled here cannot decode; export it as JPEG and import that (iPhone: Settings › Camera › Formats › Most Compatible takes JPEGs from now on)';

/** Why a file could not be decoded, in words: sharp's first line, or what its pixel limit or a missing HEVC decoder means. */
export function decodeFailureText(raw: string): string {
  if (/exceeds pixel limit/i.test(raw)) return `too large to decode safely (over ${PIXEL_LIMIT_TEXT} pixels; a panorama? save a smaller copy to use it)`;
  if (/heif: .*(Unsupported codec|not been built in|No decoding plugin)/i.test(raw)) return HEVC_TEXT;
  const first = raw.split('\n')[0].trim();
  // libvips sometimes ends its sentence at a colon with nothing after it ("…has corrupt header:").
  return first.endsWith(':') ? `${first.slice(0, -1)} (the file is damaged or incomplete)` : first;
}
