// Imports a folder of images into a project: one image per distinct content, every file recorded as a
// path of its image, plus a shared webp thumbnail. Re-import is idempotent: files whose size, mtime,
// number on the drive and change time are unchanged are not even read (identity.ts skipUnread). Importing another folder never changes an existing image: equal
// relative paths become distinct images, byte-identical files become one image with several paths,
// and a file whose content changed becomes a new version of its image with its triplets flagged.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AppError, isDiskFull } from '../../shared/errors.js';
import type { ImageImportReport, SkippedFile } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { cannotWriteText, folderWriteProblem, WRITABLE_AGAIN_HINT, type WriteProblem } from '../store/check.js';
import type { Db } from '../store/db.js';
import { decodeFailureText, decodeFile, type Confirmed, type Decoded } from './decode.js';
import { skipUnread, writeBatch, type ImportContext } from './identity.js';
import { scanFolder, type ScanFs, type ScanHooks, type ScannedFile, type ScanResult } from './scan.js';
import { removeDeadTemps } from '../util/dead-temps.js';
import { assertStaysInside, reallyInside } from '../util/inside-on-drive.js';

export { THUMB_SIZE, thumbRelPath } from './decode.js';

export interface ImportImagesOptions {
  /** Files decoded at once (each sharp call uses one libuv thread). Default: 2 × cores, 2..4. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Rows written per transaction. */
  batchSize?: number;
  /** File-system calls for the folder scan (tests simulate unreadable folders with it). */
  scanFs?: ScanFs;
  /** Whether the project is still this store at its path (Project.inPlace): checked before each file. */
  inPlace?: () => boolean;
  /** Filled as the import goes, so a caller sees what was kept also when the import stops with an error. */
  report?: ImageImportReport;
}

/**
 * Files in flight: twice the cores, capped at libuv's 4 pool threads (reads and sharp both run there).
 * Measured on 2 shared cores (bench/import.ts): 1 → 23.8 images/s, 2 → 27.5, 4 → 33.6.
 */
export function defaultImportConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism() * 2));
}

export function emptyReport(): ImageImportReport {
  return { added: 0, unchanged: 0, updated: 0, duplicates: [], skipped: [], needsEscaping: [], flagged: 0, seconds: 0 };
}

export async function importImages(db: Db, projectDir: string, folder: string, opts: ImportImagesOptions = {}): Promise<ImageImportReport> {
  const started = performance.now();
  const root = resolve(folder);
  if (!existsSync(root)) throw new AppError('NOT_FOUND', `Image folder not found: ${root}`);
  if (!statSync(root).isDirectory()) throw new AppError('BAD_ARGUMENTS', `${root} is a file, not a folder: import the folder that holds the images.`);
  assertStaysInside(projectDir, join(projectDir, 'thumbs'), 'a thumbnail'); // before any work
  const scan = await scanRoot(root, opts.scanFs, {
    signal: opts.signal,
    onFound: (files) => opts.onProgress?.({ phase: 'scanning', done: files, total: 0, message: 'Listing the folder: files found so far' }),
  });
  const ctx: ImportContext = { root, folderName: basename(root), flaggedTriplets: new Set() };
  removeDeadThumbTemps(projectDir);
  const report = opts.report ?? emptyReport();
  report.skipped.push(...scan.skipped);
  const todo = skipUnread(db, scan.files, report);

  let done = scan.files.length - todo.length;
  const total = scan.files.length;
  const progress = () => opts.onProgress?.({ phase: 'images', done, total });
  progress();

  const batchSize = opts.batchSize ?? 64;
  // Decoded files are written in name order whatever order they finish in, so which of two identical
  // files becomes the image (and which its duplicate path) does not depend on timing.
  const slots: (Decoded | Confirmed | null | undefined)[] = new Array(todo.length);
  let written = 0;
  const flush = (all: boolean) => {
    const batch: (Decoded | Confirmed)[] = [];
    while (written < todo.length && slots[written] !== undefined) {
      const d = slots[written];
      slots[written++] = null;
      if (d) batch.push(d);
    }
    if (all) for (let i = written; i < todo.length; i++) if (slots[i]) (batch.push(slots[i]!), (slots[i] = null));
    if (batch.length) writeBatch(db, batch, ctx, report);
  };
  let ready = 0;
  let next = 0;
  // A full disk, the folder itself gone (a drive disconnected) or the project's drive turned
  // read-only is not the file's fault: the import stops there instead of skipping every file after it.
  let stopped: unknown;
  const worker = async () => {
    while (next < todo.length && stopped === undefined) {
      opts.signal?.throwIfAborted();
      // The project folder moved or replaced: its thumbnails would land at the old path (a stray thumbs/ there).
      if (opts.inPlace && !opts.inPlace()) {
        stopped ??= projectMovedError(projectDir, report);
        break;
      }
      const i = next++;
      try {
        slots[i] = await decodeFile(todo[i].file, projectDir, todo[i].expected);
        ready++;
      } catch (err) {
        slots[i] = null;
        if (isDiskFull(err) || folderGone(root, err) || (writeFailed(err) && folderWriteProblem(projectDir))) stopped ??= err;
        else report.skipped.push(skipReason(todo[i].file, err));
      }
      if (ready >= batchSize) (flush(false), (ready = 0));
      done++;
      progress();
    }
  };
  try {
    try {
      const n = Math.max(1, opts.concurrency ?? defaultImportConcurrency());
      await Promise.all(Array.from({ length: n }, worker));
    } finally {
      // Whatever was decoded is kept, so a cancelled import resumes where it stopped.
      flush(true);
    }
    if (stopped !== undefined) throw stopped;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw err; // the project folder moved (projectMovedError)
    if (isDiskFull(err)) throw diskFullError(projectDir, report);
    if (folderGone(root, err)) throw folderGoneError(root, report);
    // The store's own write may be what met the drive's error (store/check.ts storeWriteError).
    const problem = err instanceof AppError && err.code === 'DRIVE_ERROR' ? 'drive-error' : folderWriteProblem(projectDir);
    if (problem) throw unwritableError(projectDir, report, problem);
    throw err;
  }
  report.skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  report.duplicates.sort((a, b) => (a.path < b.path ? -1 : 1));
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** The folder's files; a root that cannot be listed is an error naming it (subfolders are only skipped). */
async function scanRoot(root: string, fs: ScanFs | undefined, hooks: ScanHooks): Promise<ScanResult> {
  try {
    return await scanFolder(root, fs, hooks);
  } catch (err) {
    if (hooks.signal?.aborted) throw err; // cancelled while listing, not unreadable
    const code = (err as NodeJS.ErrnoException)?.code ?? String(err);
    throw new AppError('BAD_ARGUMENTS', `Image folder cannot be read: ${root} (${code})`);
  }
}

/** A file that vanished because the whole folder did (moved, renamed, its drive disconnected). */
function folderGone(root: string, err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (code === 'ENOENT' || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO') && !existsSync(root);
}

/** What the import kept before it stopped, said the same way whatever stopped it. */
function keptText(report: ImageImportReport): string {
  return report.added === 0
    ? 'No new image could be added'
    : `The ${report.added === 1 ? 'new image' : `${report.added.toLocaleString('en-US')} new images`} imported before it stay in the project`;
}

/** What a full disk stopped, what it kept, and the way on. */
function diskFullError(projectDir: string, report: ImageImportReport): AppError {
  return new AppError(
    'DISK_FULL',
    `The disk holding ${projectDir} is full, so the import stopped. ${keptText(report)}; free some space and import the folder again: it goes on with the rest.`,
    { added: report.added },
  );
}

/** The folder went away while it was imported: one message instead of a "skipped" line per file. */
function folderGoneError(root: string, report: ImageImportReport): AppError {
  return new AppError(
    'NOT_FOUND',
    `The folder ${root} is no longer there (moved, renamed, or its drive disconnected), so the import stopped. ${keptText(report)}; ` +
      'import the folder again from where it is: it goes on with the rest.',
    { added: report.added, path: root },
  );
}

/** Thumbnails a killed import was writing (thumbs/ab/<sha>.webp.<pid>.<random>.tmp): one listing per subfolder. */
function removeDeadThumbTemps(projectDir: string): void {
  const thumbs = join(projectDir, 'thumbs');
  // A `thumbs` link leading out of the project: what is there is not the import's to remove.
  if (!existsSync(thumbs) || !reallyInside(projectDir, thumbs)) return;
  for (const sub of readdirSync(thumbs)) removeDeadTemps(join(thumbs, sub));
}

/** The project folder was moved, renamed, replaced or deleted while its images were imported. */
function projectMovedError(projectDir: string, report: ImageImportReport): AppError {
  return new AppError(
    'NOT_FOUND',
    `The project folder ${projectDir} was moved, renamed, replaced or deleted during the import, so it stopped. ${keptText(report)}; ` +
      'open the project where it is now and import the folder again: it goes on with the rest.',
    { added: report.added, path: projectDir },
  );
}

/** A thumbnail that could not be written (sharp says "unable to open for write"), or a refused write. */
function writeFailed(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return ['EROFS', 'EACCES', 'EPERM', 'EIO'].includes(String(code)) || /unable to open for write|read-only file system/i.test(String((err as Error)?.message));
}

function unwritableError(projectDir: string, report: ImageImportReport, problem: WriteProblem): AppError {
  return new AppError(problem === 'read-only' ? 'FORBIDDEN' : 'DRIVE_ERROR', `${cannotWriteText(projectDir, problem)}, so the import stopped. ${keptText(report)}. ${WRITABLE_AGAIN_HINT}`, {
    added: report.added,
    path: projectDir,
  });
}

function skipReason(file: ScannedFile, err: unknown): SkippedFile {
  const raw = err instanceof Error ? err.message : String(err);
  const reason = /unsupported image format/i.test(raw) && !/format \w+$/.test(raw) ? 'not an image (unsupported format)' : decodeFailureText(raw);
  return { path: file.path, reason };
}
