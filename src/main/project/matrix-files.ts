// Writing a float32 matrix with one name per row, for use outside the app:
//  - NPY (NumPy's format v1.0: magic, header dict, little-endian '<f4' C-order data), names beside it
//    in FILE.names.txt, one per line, written as in triplet files (escape.ts: a space is %20 …);
//  - CSV (RFC 4180): a header `name,e0,e1,…` then one row per name, values with float32 precision.
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { matrixFiles } from '../../shared/export-files.js';
import { encodeName } from '../triplets/escape.js';
import { flushFolder, writeFileFlushed } from '../util/durable.js';
import { assertFileTarget, notWrittenFor } from '../util/file-target.js';
import { makeDirs } from '../util/make-dirs.js';
import { removeDeadTemps } from '../util/dead-temps.js';

/**
 * Writes through a temporary file, flushed to the drive, and a rename (its folder made if missing): a
 * reader, a crash or a power cut never leaves half a file (util/durable.ts). Never over a folder or a device (file-target.ts); a failed write leaves no temporary file.
 */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  writeAllAtomic([[file, bytes]]);
}

/**
 * Several files that belong together (an .npy and its names): every one written and flushed under
 * a temporary name first, then all renamed back to back, so a crash cannot leave a new matrix beside
 * old names (or the reverse) as writing them one after the other could.
 */
export function writeAllAtomic(files: [string, Uint8Array | string][]): void {
  for (const [file] of files) {
    assertFileTarget(file);
    makeDirs(dirname(file));
    removeDeadTemps(dirname(file), basename(file)); // what a killed export of this file left
  }
  const tmps = files.map(([file]) => `${file}.${process.pid}.tmp`);
  let current = files[0][0];
  try {
    files.forEach(([file, bytes], i) => {
      current = file;
      writeFileFlushed(tmps[i], bytes);
    });
    files.forEach(([file], i) => {
      current = file;
      renameSync(tmps[i], file);
    });
    for (const dir of new Set(files.map(([file]) => dirname(file)))) flushFolder(dir);
  } catch (err) {
    for (const tmp of tmps) rmSync(tmp, { force: true });
    throw notWrittenFor(err, current) ?? err;
  }
}

/** The bytes of an .npy file holding `data` as a float32 array of `shape`. */
export function npyBytes(data: Float32Array, shape: number[]): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // The header (magic 6 + version 2 + length 2 + dict + '\n') is padded with spaces to a multiple of 64.
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** One CSV field: quoted when it holds a comma, quote or line break. */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function csvText(names: string[], data: Float32Array, dim: number): string {
  const lines = [['name', ...Array.from({ length: dim }, (_, j) => `e${j}`)].join(',')];
  names.forEach((name, i) => {
    const row = Array.from(data.subarray(i * dim, (i + 1) * dim), (v) => String(Math.fround(v)));
    lines.push([csvField(name), ...row].join(','));
  });
  return lines.join('\n') + '\n';
}

export { matrixFiles };

/** Writes the matrix as .npy (+ .names.txt) or .csv by the file's extension; returns the files written. */
export function writeMatrix(file: string, names: string[], data: Float32Array, dim: number): string[] {
  if (/\.npy$/i.test(file)) {
    const namesFile = matrixFiles(file)[1];
    writeAllAtomic([
      [file, npyBytes(data, [names.length, dim])],
      [namesFile, names.map((n) => encodeName(n) + '\n').join('')],
    ]);
    return [file, namesFile];
  }
  writeAtomic(file, csvText(names, data, dim));
  return [file];
}
