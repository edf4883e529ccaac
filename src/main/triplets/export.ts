// Writes a split's active triplets back in the research format: import order, one space between
// names, '\n' after every line. Excluded triplets are left out (the export is what the model trains
// or is tested on). Imported triplets keep their names exactly as written in their file, so a clean
// imported file comes back byte for byte; names of triplets made in the app are written in the
// escaped form (escape.ts) when the plain format cannot carry them. Rows are streamed to the file,
// so a split of millions of triplets never becomes one string.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Split } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { exportRows } from '../store/triplet-reads.js';
import { lineNames } from './escape.js';
import { flushFolder } from '../util/durable.js';
import { assertFileTarget, notWrittenFor } from '../util/file-target.js';
import { makeDirs } from '../util/make-dirs.js';
import { removeDeadTemps } from '../util/dead-temps.js';
import { writeAll } from '../util/write-all.js';

const FLUSH_BYTES = 1 << 20;

export function exportTriplets(db: Db, split: Split, file: string): { file: string; count: number } {
  const path = resolve(file);
  assertFileTarget(path); // never over a folder or a device
  // A missing folder is made, as the other exports do.
  makeDirs(dirname(path));
  removeDeadTemps(dirname(path), basename(path)); // what a killed export of this file left
  // Write then rename so an interrupted export never leaves a half-written file in place.
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openTarget(tmp, path);
  let count = 0;
  try {
    // The rows are read only once the file is open: a live row iterator keeps the connection busy,
    // so one left open by a failed open would make closing the project fail and hide the real error.
    const rows = exportRows(db, split);
    let chunk = '';
    for (const [a, p, n, origin] of rows) {
      const names = lineNames([a, p, n], origin === 'imported');
      chunk += `${names.join(' ')}\n`;
      count++;
      if (chunk.length >= FLUSH_BYTES) {
        writeAll(fd, chunk);
        chunk = '';
      }
    }
    if (chunk) writeAll(fd, chunk);
    fsyncSync(fd); // on the drive before it is called exported (util/durable.ts)
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw notWrittenFor(err, path) ?? err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
    flushFolder(dirname(path));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw notWrittenFor(err, path) ?? err;
  }
  return { file: path, count };
}

/** The temporary file of an export to `path`; a drive or folder that refuses it is said of `path`. */
function openTarget(tmp: string, path: string): number {
  try {
    return openSync(tmp, 'w');
  } catch (err) {
    throw notWrittenFor(err, path) ?? err;
  }
}
