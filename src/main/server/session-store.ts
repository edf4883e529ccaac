// Browser mode's lasting session per data folder: one token (so a bookmarked start address keeps
// working across restarts) and the port it was served on (so the address stays the same). Both live
// in `<data>/browser-session.json`, readable by the user only (0600): the token gives full access to
// the app, so a file others can read is repaired (mode 0600) and its token replaced. `--new-token`
// (rotate) replaces the token, which makes every older address and open tab out of date; so does a
// move to another port when the remembered one was taken (moveSession).
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { writeRefusal } from '../util/file-target.js';
import { newToken } from './auth.js';
import { makeDirs } from '../util/make-dirs.js';

export const SESSION_FILE = 'browser-session.json';

export interface StoredSession {
  token: string;
  /** Last port served on; null before the first start. */
  port: number | null;
}

export interface LoadedSession extends StoredSession {
  /** Things the user should know (a repaired file, a rotated token), one sentence each. */
  notices: string[];
}

const POSIX = process.platform !== 'win32';

export function sessionFile(dataDir: string): string {
  return join(dataDir, SESSION_FILE);
}

/** Reads the stored session, or null when there is none (or it is unreadable / malformed). */
function readStored(file: string): StoredSession | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSession>;
    if (typeof v.token !== 'string' || !/^[\w-]{32,200}$/.test(v.token)) return null;
    const port = Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) < 65536 ? (v.port as number) : null;
    return { token: v.token, port };
  } catch {
    return null;
  }
}

/** Writes atomically with mode 0600 (the temp file is created 0600, so the token is never readable by others). */
export function writeSession(dataDir: string, s: StoredSession): void {
  const file = sessionFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDirs(dataDir);
    writeFileSync(tmp, JSON.stringify({ token: s.token, port: s.port }, null, 2) + '\n', { mode: 0o600 });
    if (POSIX) chmodSync(tmp, 0o600); // a umask cannot widen it, but an existing tmp could have kept its mode
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw dataFolderError(err, dataDir) ?? err;
  }
}

/** The data folder cannot take the session file: a full disk, a read-only drive, no permission. Null otherwise. */
function dataFolderError(err: unknown, dataDir: string): AppError | null {
  const cannot = `browser mode cannot keep its address (${SESSION_FILE}) there`;
  const path = sessionFile(dataDir);
  const refusal = writeRefusal(err);
  if (refusal === 'full') {
    return new AppError('DISK_FULL', `The disk holding the data folder ${dataDir} is full, so ${cannot}. Free some space, or start it with --data DIR on another drive.`, { path });
  }
  if (!refusal) return null;
  const why = { 'read-only': 'is on a read-only drive', denied: 'cannot be written by you', 'drive-error': 'is on a drive that reported an error (input/output error)' }[refusal];
  const code = (err as NodeJS.ErrnoException).code;
  return new AppError(refusal === 'drive-error' ? 'DRIVE_ERROR' : 'FORBIDDEN', `The data folder ${dataDir} ${why}, so ${cannot}. Start it with --data DIR on a drive you can write.`, { path, code });
}

/**
 * The data folder's token (created on first use, replaced when `rotate` or when the file was
 * readable by others) and its remembered port.
 */
export function loadSession(dataDir: string, opts: { rotate?: boolean } = {}): LoadedSession {
  const file = sessionFile(dataDir);
  const notices: string[] = [];
  let stored = readStored(file);
  if (stored && POSIX && (statSync(file).mode & 0o077) !== 0) {
    const mode = (statSync(file).mode & 0o777).toString(8);
    notices.push(`${file} was readable by other users (mode ${mode}): made it private (0600) and replaced its token, so older addresses stop working.`);
    stored = { token: newToken(), port: stored.port };
    writeSession(dataDir, stored);
  } else if (stored && opts.rotate) {
    notices.push('New token (--new-token): older addresses and open tabs no longer work; use the address below.');
    stored = { token: newToken(), port: stored.port };
    writeSession(dataDir, stored);
  } else if (!stored) {
    if (existsSync(file)) notices.push(`${file} was unreadable or malformed: made a new token.`);
    stored = { token: newToken(), port: null };
    writeSession(dataDir, stored);
  }
  return { ...stored, notices };
}

/** Remembers the port the data folder's server listens on (kept with the token). */
export function rememberPort(dataDir: string, port: number): void {
  const stored = readStored(sessionFile(dataDir));
  if (!stored || stored.port === port) return;
  writeSession(dataDir, { ...stored, port });
}

/**
 * The remembered port was taken and the server moved to `port`: a new token goes with the new
 * address (returned). Tabs of the old address cannot reach the new port anyway (their origin is the
 * old one), and the old token may have gone to whatever holds the old port now.
 */
export function moveSession(dataDir: string, port: number): string {
  const token = newToken();
  writeSession(dataDir, { token, port });
  return token;
}
