// Where the app writes a file the user named (an export, encodings, an ONNX model, a map): a
// missing path or a regular file, never a folder or a device. Writes go through a temporary file
// renamed over the target, and a rename replaces whatever is there when it can: run as root,
// `export-triplets … /dev/full --force` put a plain file where the device was. A folder failed only
// after the work, naming the temporary file.
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';

/** Refuses `path` as a file to write when it is a folder or not a regular file (a device, a pipe, a socket). */
export function assertFileTarget(path: string): void {
  const abs = resolve(path);
  const st = statOrNothing(abs);
  if (!st || st.isFile()) return;
  if (st.isDirectory()) throw new AppError('BAD_ARGUMENTS', `${abs} is a folder; give the name of a file to write.`, { path: abs });
  throw new AppError('BAD_ARGUMENTS', `${abs} is not a regular file (a device, a pipe or a socket), so it is not replaced; give the name of a file to write.`, { path: abs });
}

/** The path's stat; nothing when it is missing, or when a file stands where a parent folder should (making the folder says so). */
function statOrNothing(abs: string): Stats | undefined {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** An export that met a full disk names the file it could not write (a write's ENOSPC has no path). */
export function diskFullFor(file: string): AppError {
  return new AppError('DISK_FULL', `The disk is full, so ${file} was not written (nothing there was replaced). Free some space and export again.`, { path: file });
}
