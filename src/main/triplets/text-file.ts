// A triplet file is UTF-8 text. A file of another kind picked by mistake (a photo, a UTF-16 file
// as Windows Notepad saves "Unicode") used to be read as lines anyway and refused with hundreds of
// unreadable "invalid line" reports ("998 invalid lines … found 53 names", or names spelled
// "1 4 0 7 …"). Its first bytes say what it is, so the refusal can.
import { AppError } from '../../shared/errors.js';
import { imageFormatOf, type ImageFormat } from '../../shared/image-signature.js';
import { readHead } from '../images/sniff.js';

/** Looked at: enough to find the zero bytes of binary data or BOM-less UTF-16. */
const HEAD_BYTES = 4096;

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', webp: 'WebP', tiff: 'TIFF', heic: 'HEIC', avif: 'AVIF', bmp: 'BMP' };

const WHAT_IT_SHOULD_BE = 'a triplet file is UTF-8 text with one "anchor positive negative" per line';

/** Refuses a file whose first bytes show it is not UTF-8 text, saying what it is instead (INVALID_FILE). */
export async function assertTextFile(path: string): Promise<void> {
  const head = await readHead(path, HEAD_BYTES);
  const refuse = (what: string) => new AppError('INVALID_FILE', `${path} ${what}; ${WHAT_IT_SHOULD_BE}. Nothing was imported.`, { path });
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) throw refuse('is saved as UTF-16 text (Windows calls it "Unicode"): save it as UTF-8 and import it again');
  const image = imageFormatOf(head);
  if (image) throw refuse(`is a ${FORMAT_NAMES[image]} image, not a text file`);
  if (head.includes(0)) throw refuse('is not text (it holds zero bytes: binary data, or UTF-16 without a byte-order mark, which UTF-8 never has)');
}
