// The one error type that crosses process and transport boundaries: a code the UI can act on
// plus a message a user understands. Anything else thrown is reported as INTERNAL.
import type { ErrorCode, IpcError } from './ipc.js';

export type { ErrorCode, IpcError };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): IpcError {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

/**
 * A Node file-system error on a path (a folder that is a file, no permission, a full disk) in plain
 * words: these come from the user's paths and machine, not from a bug. Null for anything else.
 */
export function fileSystemError(err: unknown): AppError | null {
  if (!err || typeof err !== 'object') return null;
  const { code, syscall, path } = err as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string' || typeof path !== 'string') return null;
  const plain: Record<string, [ErrorCode, string]> = {
    ENOENT: ['NOT_FOUND', `${path} does not exist.`],
    ENOTDIR: ['BAD_ARGUMENTS', `${path}: a part of this path is a file, not a folder.`],
    EISDIR: ['BAD_ARGUMENTS', `${path} is a folder, not a file.`],
    EEXIST: ['CONFLICT', syscall === 'mkdir' ? `Cannot make the folder ${path}: a file of that name is in the way.` : `${path} is in the way: a file or folder of that name exists.`],
    ENAMETOOLONG: ['BAD_ARGUMENTS', `The path is too long: ${path}`],
    EACCES: ['FORBIDDEN', `Permission denied: ${path}`],
    EPERM: ['FORBIDDEN', `Not permitted: ${path}`],
    EROFS: ['FORBIDDEN', `${path} is on a read-only drive.`],
    ENOSPC: ['DISK_FULL', `The disk is full: ${path} could not be written. Free some space and try again.`],
    EDQUOT: ['DISK_FULL', `The disk quota is used up: ${path} could not be written. Free some space and try again.`],
    EIO: ['DRIVE_ERROR', `The drive holding ${path} reported an error (input/output error): it may be failing or disconnected. Copy what you need from it to another drive.`],
  };
  const known = plain[code];
  return known ? new AppError(known[0], known[1], { path, code, syscall }) : null;
}

/**
 * A full disk however it was met: Node's ENOSPC or EDQUOT (with or without a path), SQLite's
 * SQLITE_FULL, or libvips' words when sharp writes a thumbnail. Not a fault of the file being read,
 * so work over many files stops at it instead of skipping every file after it.
 */
export function isDiskFull(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  return /no space left on device|disk quota exceeded/i.test((err as { message?: unknown }).message as string);
}

/**
 * SQLite's failures that come from the machine, not from a bug (better-sqlite3 throws them as
 * SqliteError with SQLite's code): a full disk, a drive or file that became read-only, a drive error. A
 * transaction that meets one is rolled back whole, so nothing of that step was saved. Null otherwise.
 */
export function sqliteMachineError(err: unknown): AppError | null {
  if (!err || typeof err !== 'object' || (err as Error).name !== 'SqliteError') return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  const notSaved = 'the last change was not saved (a write is all or nothing: everything saved before it is kept)';
  // Another process (the CLI, a second app) held the write lock past the busy timeout: not a bug.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('BUSY', `The project is busy: another process (a command or another window) has been writing to it for more than 5 s, so ${notSaved}. Try again when it is done.`, { code });
  }
  if (code === 'SQLITE_FULL') return new AppError('DISK_FULL', `The disk holding the project is full, so ${notSaved}. Free some space and try again.`, { code });
  if (code.startsWith('SQLITE_READONLY')) {
    return new AppError('FORBIDDEN', `The project file cannot be written (its drive or the file is read-only), so ${notSaved}.`, { code });
  }
  // An I/O error is the drive's answer (failing, disconnected, full underneath), not a bug. The store
  // says which folder where it can (store/check.ts storeWriteError); this covers the rest.
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('DRIVE_ERROR', `The drive holding the project reported an error (SQLite: ${(err as Error).message}), so ${notSaved}. It may be failing or disconnected: copy the project folder to another drive.`, { code });
  }
  return null;
}

/** A full disk met where no file path was given (a write, a sharp thumbnail): said as one. */
function diskFullMet(err: unknown): AppError | null {
  return isDiskFull(err) ? new AppError('DISK_FULL', 'The disk is full, so this could not be written. Free some space and try again.') : null;
}

/**
 * A request still running when its project was closed (another project opened, the app quitting)
 * meets the closed store (better-sqlite3's TypeError): it was stopped, not broken. Null otherwise.
 */
export function closedProjectError(err: unknown): AppError | null {
  if (!(err instanceof TypeError) || err.message !== 'The database connection is not open') return null;
  return new AppError('CANCELLED', 'Stopped: the project was closed before this finished.');
}

/** An error the user can act on or that says what happened, in its coded form; null for anything else. */
export function knownError(err: unknown): AppError | null {
  return err instanceof AppError ? err : (fileSystemError(err) ?? sqliteMachineError(err) ?? diskFullMet(err) ?? closedProjectError(err));
}

/** Turns anything thrown into the wire form; unexpected errors keep their message but not their stack. */
export function toIpcError(err: unknown): IpcError {
  const known = knownError(err);
  if (known) return known.toJSON();
  if (err && typeof err === 'object' && 'name' in err && (err as Error).name === 'AbortError') {
    return { code: 'CANCELLED', message: 'Cancelled.' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'Unexpected error.' };
}
