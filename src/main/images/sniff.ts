// Whether a file starts like an image the app imports, from its first bytes. A folder of photos often
// holds videos and archives (a phone's DCIM folder), and the import read each whole just for sharp to
// refuse it: a 1 GB video cost 1 GB of memory per file in flight, and past 2 GiB the read failed with
// a message about buffer sizes instead of "not an image". Files are still recognised by content,
// not by name, so a photo without an extension is imported as before.
import { open } from 'node:fs/promises';

/** Enough for every signature below, and for an ISO-BMFF `ftyp` box's first compatible brands. */
const HEAD_BYTES = 64;

/** ISO-BMFF brands of HEIF and AVIF stills (sharp's 'heif'); an MP4 or MOV video has none of them. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'mif2', 'msf1', 'miaf', 'avif', 'avis', 'avio']);

/** The first bytes of a file (fewer when it is shorter; none when empty). */
export async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The image format a file's first bytes announce, among those the app imports; null for anything else. */
export function imageSignature(head: Buffer): 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | null {
  const ascii = (from: number, to: number) => head.toString('latin1', from, to);
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (/^GIF8[79]a$/.test(ascii(0, 6))) return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // Classic and BigTIFF, either byte order (camera raw files are TIFF inside; sharp then decides).
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(ascii(0, 4))) return 'tiff';
  if (ascii(4, 8) === 'ftyp' && heifBrands(head).some((b) => HEIF_BRANDS.has(b))) return 'heif';
  return null;
}

/** The major and compatible brands of an `ftyp` box, as far as `head` holds them. */
function heifBrands(head: Buffer): string[] {
  const end = Math.min(head.length, head.readUInt32BE(0) || head.length);
  const brands = [head.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(head.toString('latin1', at, at + 4));
  return brands;
}
