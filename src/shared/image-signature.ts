// What image format a file's first bytes announce: the one recogniser behind the import (a video
// or archive is refused before it is read whole), the "try an image" check of dropped bytes, and the
// Content-Type of media served to the window (from the bytes, never the name). Plain bytes in, so
// every layer can use it.

/** Enough for every signature below, and for an ISO-BMFF `ftyp` box's first compatible brands. */
export const SIGNATURE_BYTES = 64;

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heic' | 'avif' | 'bmp';

/** ISO-BMFF brands of still images; an MP4 or MOV video has none of them. */
const AVIF_BRANDS = new Set(['avif', 'avis', 'avio']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'mif2', 'msf1', 'miaf']);

/** The format of a file whose first bytes are `head`, or null for anything that is no known image. */
export function imageFormatOf(head: Uint8Array): ImageFormat | null {
  const b = head;
  const ascii = (from: number, to: number): string => (b.length >= to ? String.fromCharCode(...b.subarray(from, to)) : '');
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 8) === 'PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // Classic and BigTIFF, either byte order (camera raw files are TIFF inside; the decoder then decides).
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(ascii(0, 4))) return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    const brands = ftypBrands(b);
    if (brands.some((x) => AVIF_BRANDS.has(x))) return 'avif';
    if (brands.some((x) => HEIC_BRANDS.has(x))) return 'heic';
    return null;
  }
  if (ascii(0, 2) === 'BM') return 'bmp';
  return null;
}

/** The major and compatible brands of an `ftyp` box, as far as `b` holds them. */
function ftypBrands(b: Uint8Array): string[] {
  const size = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const end = Math.min(b.length, size || b.length);
  const brand = (at: number) => String.fromCharCode(...b.subarray(at, at + 4));
  const out = [brand(8)];
  for (let at = 16; at + 4 <= end; at += 4) out.push(brand(at));
  return out;
}
