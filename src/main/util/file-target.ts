// Where the app writes a file the user named (an export, encodings, an ONNX model, a map): a
// missing path or a regular file, never a folder or a device. Writes go through a temporary file
// renamed over the target, and a rename replaces whatever is there when it can: run as root,
// `export-triplets … /dev/full --force` put a plain file where the device was. A folder failed only
// after the work, naming the temporary file.
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError, isDiskFull } from '../../shared/errors.js';

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

/** Why the machine refused a write, for the messages that name what was not written; null for any other error. */
export function writeRefusal(err: unknown): 'full' | 'read-only' | 'denied' | 'drive-error' | null {
  if (isDiskFull(err)) return 'full';
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EROFS') return 'read-only';
  if (code === 'EIO') return 'drive-error';
  return code === 'EACCES' || code === 'EPERM' ? 'denied' : null;
}

/**
 * An export that could not write names the file it was writing, not its temporary one (a write's
 * ENOSPC names no path at all): a full disk, a read-only drive, a folder the user may not write in.
 * Null for any other error.
 */
export function notWrittenFor(err: unknown, file: string, platform: NodeJS.Platform = process.platform): AppError | null {
  const kept = `${file} was not written (nothing there was replaced)`;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (heldOpenElsewhere(err, file, platform)) {
    return new AppError('BUSY', `${file} is open in another program (or being scanned), so ${kept}. Close it there and export again.`, { path: file, code });
  }
  switch (writeRefusal(err)) {
    case 'full':
      return new AppError('DISK_FULL', `The disk is full, so ${kept}. Free some space and export again.`, { path: file });
    case 'read-only':
      return new AppError('FORBIDDEN', `${dirname(file)} is on a read-only drive, so ${kept}. Choose a folder on another drive.`, { path: file, code });
    case 'denied':
      return new AppError('FORBIDDEN', `You may not write in ${dirname(file)}, so ${kept}. Choose a folder you can write in.`, { path: file, code });
    case 'drive-error':
      return new AppError('DRIVE_ERROR', `The drive holding ${dirname(file)} reported an error (input/output error: failing or disconnected?), so ${kept}. Choose a folder on another drive.`, { path: file, code });
    default:
      return null;
  }
}

/**
 * A rename over a file another program holds open: EBUSY anywhere; on Windows also EPERM or EACCES
 * when the file is there and writable (a spreadsheet showing the CSV, a virus scanner), which is no missing right.
 */
function heldOpenElsewhere(err: unknown, file: string, platform: NodeJS.Platform): boolean {
  const e = err as NodeJS.ErrnoException | null;
  if (e?.syscall !== 'rename') return false;
  if (e.code === 'EBUSY') return true;
  if (platform !== 'win32' || (e.code !== 'EPERM' && e.code !== 'EACCES')) return false;
  // A file marked read-only (no write bit) is refused for that, not for being open.
  const st = statOrNothing(resolve(file));
  return st?.isFile() === true && (st.mode & 0o200) !== 0;
}
