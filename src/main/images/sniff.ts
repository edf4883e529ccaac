// Whether a file starts like an image the app imports, from its first bytes. A folder of photos often
// holds videos and archives (a phone's DCIM folder), and the import read each whole just for sharp to
// refuse it: a 1 GB video cost 1 GB of memory per file in flight, and past 2 GiB the read failed with
// a message about buffer sizes instead of "not an image". Files are still recognised by content,
// not by name, so a photo without an extension is imported as before.
import { open } from 'node:fs/promises';
import { imageFormatOf, SIGNATURE_BYTES } from '../../shared/image-signature.js';

/** The first `bytes` of a file (fewer when it is shorter; none when empty). */
export async function readHead(path: string, bytes = SIGNATURE_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when `head` starts a format the import decodes (sharp: JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF; not BMP). */
export function importable(head: Uint8Array): boolean {
  const format = imageFormatOf(head);
  return format !== null && format !== 'bmp';
}

/** Said of a file that is an image the import does not decode: BMP (sharp has no BMP reader). */
export const BMP_TEXT = 'a BMP image, which is not supported: save it as PNG or JPEG to use it';

/** Why `head` is refused, in words: BMP is an image, only not one the app reads. */
export function refusalText(head: Uint8Array): string {
  return imageFormatOf(head) === 'bmp' ? BMP_TEXT : 'unsupported image format';
}
