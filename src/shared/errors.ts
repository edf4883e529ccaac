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
    ENOSPC: ['INTERNAL', `The disk is full (writing ${path}).`],
    EDQUOT: ['INTERNAL', `The disk quota is used up (writing ${path}).`],
  };
  const known = plain[code];
  return known ? new AppError(known[0], known[1], { path, code, syscall }) : null;
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
  return err instanceof AppError ? err : (fileSystemError(err) ?? closedProjectError(err));
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
