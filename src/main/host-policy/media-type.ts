// Media Content-Type from the decoded format, not the file name: a `.png` that holds a JPEG is
// served as image/jpeg, and bytes that are no known image are opaque (never sniffed: nosniff).
import { open } from 'node:fs/promises';

const OCTET = 'application/octet-stream';

/** The image MIME type of a file's first bytes, or application/octet-stream. */
export function imageTypeOf(head: Uint8Array): string {
  const b = head;
  const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 4) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return 'image/heic';
  }
  if (b.length >= 4 && ((ascii(0, 2) === 'II' && b[2] === 42 && b[3] === 0) || (ascii(0, 2) === 'MM' && b[2] === 0 && b[3] === 42))) return 'image/tiff';
  if (b.length >= 2 && ascii(0, 2) === 'BM') return 'image/bmp';
  return OCTET;
}

/** Reads the first 32 bytes of `file` and names their image type. */
export async function sniffImageType(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(32);
    const { bytesRead } = await fh.read(buf, 0, 32, 0);
    return imageTypeOf(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
