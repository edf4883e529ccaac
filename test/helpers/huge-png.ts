// A PNG whose header claims a huge size, as a gigapixel panorama's does: decoders refuse it by its
// header (sharp's pixel limit) before reading any pixel, so a test needs no huge file.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A small real PNG with its header (and that chunk's CRC) rewritten to claim `width` × `height`. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const out = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).png().toBuffer();
  out.writeUInt32BE(width, 16); // IHDR data starts after the signature (8), length (4) and type (4)
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}
