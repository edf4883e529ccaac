// Media Content-Type from the decoded format, not the file name: a `.png` that holds a JPEG is
// served as image/jpeg, and bytes that are no known image are opaque (never sniffed: nosniff).
import { open, type FileHandle } from 'node:fs/promises';
import { imageFormatOf, SIGNATURE_BYTES, type ImageFormat } from '../../shared/image-signature.js';

const OCTET = 'application/octet-stream';

const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
  bmp: 'image/bmp',
};

/** The image MIME type of a file's first bytes, or application/octet-stream. */
export function imageTypeOf(head: Uint8Array): string {
  const format = imageFormatOf(head);
  return format ? MIME[format] : OCTET;
}

/** Reads the first bytes of `file` and names their image type. */
export async function sniffImageType(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    return await sniffImageTypeOf(fh);
  } finally {
    await fh.close();
  }
}

/** The same, from a file already open (its position is not moved). */
export async function sniffImageTypeOf(fh: FileHandle): Promise<string> {
  const buf = Buffer.alloc(SIGNATURE_BYTES);
  const { bytesRead } = await fh.read(buf, 0, SIGNATURE_BYTES, 0);
  return imageTypeOf(buf.subarray(0, bytesRead));
}
