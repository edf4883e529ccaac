// Checks a project file before it is used: a 0-byte file, a file that is not SQLite, another program's
// SQLite file and a damaged one are refused with a message naming the file and how to restore it.
// A foreign file is only ever read (header bytes, then a read-only connection), never modified.
import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import { APPLICATION_ID } from './migrations/0005-app-id.js';
import { isWritable, openReadOnly } from './readonly.js';
import { driveIsFull } from '../util/free-space.js';
import { DB_FILE } from '../../shared/project-layout.js';

const SQLITE_MAGIC = 'SQLite format 3\0';
/** Tables every Triplet Studio store has had since schema 1: a file with these and no application id is ours. */
const OUR_TABLES = ['images', 'triplets', 'runs', 'predictions', 'history'];

/** Snapshots and backups beside the file, newest first (what the user can restore from). */
export function snapshotsOf(file: string): string[] {
  const dir = dirname(file);
  const base = basename(file);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.`) && /\.(bak|backup)$|pre-migration/.test(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/** "How to restore" sentence for a damaged or empty store. */
export function restoreHint(file: string): string {
  const snaps = snapshotsOf(file);
  const from = snaps.length
    ? `copy a snapshot over it (the newest is ${snaps[0]}) or restore it from your backup`
    : 'restore it from your backup';
  return `To recover, close Triplet Studio, ${from}; the run folders under models/ are kept.`;
}

export function damagedError(file: string, what: string): AppError {
  return new AppError('INVALID_FILE', `${file} is damaged (${what}); Triplet Studio will not open it. ${restoreHint(file)}`, { file });
}

function foreignError(file: string, what: string): AppError {
  return new AppError(
    'INVALID_FILE',
    `${file} is not a Triplet Studio project (${what}); it was left unchanged. Move it away or choose another folder.`,
    { file },
  );
}

/** The first 100 bytes of the file (the SQLite header), or fewer when the file is shorter. */
function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses files that must not be opened for writing. Returns false when there is no file yet (a new
 * store), true for an existing file that looks like ours.
 */
export function checkBeforeOpen(file: string): boolean {
  if (!existsSync(file)) return false;
  if (statSync(file).size === 0) {
    throw new AppError('INVALID_FILE', `${file} is empty (0 bytes), so it holds no project; it was left unchanged. ${restoreHint(file)}`, { file });
  }
  const header = readHeader(file);
  if (header.length < 100 || header.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    throw damagedError(file, 'it does not start with an SQLite header');
  }
  const appId = header.readUInt32BE(68);
  if (appId !== 0 && appId !== APPLICATION_ID) throw foreignError(file, `its application id 0x${appId.toString(16)} belongs to another program`);
  if (appId === 0) probeUnmarked(file);
  return true;
}

/** A store written before application ids (or whose header page is still in the WAL): ours only if it has our tables. */
function probeUnmarked(file: string): void {
  let db: Database.Database | null = null;
  try {
    db = openReadOnly(file);
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId === APPLICATION_ID) return;
    if (appId !== 0) throw foreignError(file, `its application id 0x${appId.toString(16)} belongs to another program`);
    const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
    if (tables.size === 0) return; // an empty database (e.g. a crash during init): nothing to protect
    const missing = OUR_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw foreignError(file, `another program's SQLite database: no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`);
  } catch (err) {
    throw asStoreError(err, file);
  } finally {
    db?.close();
  }
}

/** PRAGMA quick_check (or the full integrity_check) on an open store; problems listed, at most 20. */
export function integrityProblems(db: Database.Database, full = false): string[] {
  const rows = db.prepare(full ? 'PRAGMA integrity_check(20)' : 'PRAGMA quick_check(20)').pluck().all() as string[];
  return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
}

/** Refuses a store whose quick_check fails (checked on every open; cheap next to loading features). */
export function checkOpened(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = integrityProblems(db);
  } catch (err) {
    throw asStoreError(err, file);
  }
  if (problems.length) throw damagedError(file, `quick_check: ${problems[0]}${problems.length > 1 ? ` and ${problems.length - 1} more` : ''}`);
}

/** SQLite's "not a database" / "malformed" errors become the damaged-file message; AppErrors pass. */
export function asStoreError(err: unknown, file: string): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damagedError(file, (err as Error).message);
  // On a full drive SQLite often says only "disk I/O error": it cannot make its journal beside the file.
  if (/^SQLITE_(IOERR|FULL|CANTOPEN)/.test(code) && driveIsFull(dirname(file))) {
    return new AppError(
      'DISK_FULL',
      `The disk holding ${dirname(file)} is full, so the project cannot be opened: SQLite needs a little room beside project.sqlite for its journal. Free some space and open it again; nothing in the project was changed.`,
      { path: file, code },
    );
  }
  return err;
}

/**
 * Why a project folder stopped taking writes while it was open: `read-only` — a drive the system
 * remounted read-only after an error, a share or USB stick made read-only, its permissions changed;
 * `drive-error` — the drive answers writes with an input/output error while still mounted for writing
 * (a failing stick without a journal, a disk image or share whose own storage fails or is full).
 */
export type WriteProblem = 'read-only' | 'drive-error';

/** The folder's problem in words, to begin a sentence. */
export function cannotWriteText(dir: string, problem: WriteProblem): string {
  return problem === 'read-only'
    ? `${dir} cannot be written any more (its drive turned read-only, or the folder's permissions changed, while the project was open)`
    : `The drive holding ${dir} reported an error (input/output error) when it was written: it may be failing or disconnected, or full underneath (a network share or disk image)`;
}

/** How to change the project again once its folder takes writes again. */
export const WRITABLE_AGAIN_HINT = 'To change it again, fix the drive or folder (or copy the project somewhere you can write) and open it again.';

const SQLITE_WRITE_FAILED = /^SQLITE_(IOERR|READONLY|CANTOPEN)/;

/**
 * Why SQLite could not write (or open for writing) a store in `dir`, when the cause is the folder:
 * it refuses writes, or the drive errs. Null for any other error, or when the folder still takes
 * writes and SQLite did not report an I/O error.
 */
export function storeWriteProblem(err: unknown, dir: string): WriteProblem | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SQLITE_WRITE_FAILED.test(code)) return null;
  const problem = folderWriteProblem(dir);
  if (problem || !code.startsWith('SQLITE_IOERR') || driveIsFull(dir)) return problem;
  // SQLite's I/O error is the drive's own answer, even when the probe got through (a failing drive
  // fails some writes, not all): reported and told like a probe that failed.
  tellUnwritable(dir, 'drive-error');
  return 'drive-error';
}

type UnwritableListener = (dir: string, problem: WriteProblem) => void;
const unwritableListeners = new Set<UnwritableListener>();

/** Calls `listener` with each project folder found to have stopped taking writes; returns the unsubscribe. */
export function onFolderUnwritable(listener: UnwritableListener): () => void {
  unwritableListeners.add(listener);
  return () => unwritableListeners.delete(listener);
}

function tellUnwritable(dir: string, problem: WriteProblem): void {
  for (const l of unwritableListeners) l(dir, problem);
}

/**
 * Whether `dir` still takes writes, tried for real after a write failed: ext4 stops writes after a
 * drive error with the mount still "rw" (emergency_ro), and a failing drive answers EIO, so access()
 * alone would say yes. The listeners (the service, which then reopens the project read-only) are told.
 */
export function folderWriteProblem(dir: string): WriteProblem | null {
  const problem = !isWritable(join(dir, DB_FILE)) ? 'read-only' : createProblem(dir);
  if (problem) tellUnwritable(dir, problem);
  return problem;
}

function createProblem(dir: string): WriteProblem | null {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return ['EROFS', 'EACCES', 'EPERM'].includes(code) ? 'read-only' : code === 'EIO' ? 'drive-error' : null;
  }
}

/**
 * A write that failed because of the store's folder (SQLite then says only "disk I/O error" or
 * "readonly database"): said as such, naming the folder. Null for any other error, and while the
 * folder still takes writes and SQLite reported no I/O error.
 */
export function storeWriteError(err: unknown, file: string): AppError | null {
  const dir = dirname(file);
  const code = (err as { code?: unknown } | null)?.code;
  // On a full drive SQLite may say only "disk I/O error" (it cannot grow its journal).
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && driveIsFull(dir)) {
    return new AppError('DISK_FULL', `The disk holding ${dir} is full, so the last change was not saved (a write is all or nothing: everything saved before it is kept). Free some space and try again.`, { path: dir, code });
  }
  const problem = storeWriteProblem(err, dir);
  if (!problem) return null;
  return new AppError(
    problem === 'read-only' ? 'FORBIDDEN' : 'DRIVE_ERROR',
    `${cannotWriteText(dir, problem)}, so the last change was not saved (a write is all or nothing: everything saved before it is kept). ${WRITABLE_AGAIN_HINT}`,
    { path: dir, code },
  );
}

export interface StoreCheckReport {
  file: string;
  ok: boolean;
  check: 'quick_check' | 'integrity_check';
  /** Schema version (PRAGMA user_version), when the file could be read. */
  schema: number | null;
  problems: string[];
  /** Snapshots beside the file that a damaged store can be restored from, newest first. */
  snapshots: string[];
}

/** `check DIR [--full]`: the open-time checks plus quick_check or integrity_check, read-only, never modifying the file. */
export function checkStoreFile(file: string, full = false): StoreCheckReport {
  const report: StoreCheckReport = { file, ok: false, check: full ? 'integrity_check' : 'quick_check', schema: null, problems: [], snapshots: snapshotsOf(file) };
  let db: Database.Database | null = null;
  try {
    if (!checkBeforeOpen(file)) throw new AppError('NOT_FOUND', `${file} does not exist.`);
    db = openReadOnly(file);
    report.schema = db.pragma('user_version', { simple: true }) as number;
    report.problems = integrityProblems(db, full);
    report.ok = report.problems.length === 0;
  } catch (err) {
    const e = asStoreError(err, file);
    report.problems = [e instanceof Error ? e.message : String(e)];
  } finally {
    db?.close();
  }
  return report;
}
