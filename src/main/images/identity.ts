// Decides what an imported file is — the same file again, a new version of an image, another path of
// an image with the same bytes, or a new image — and writes it. Every decision reads the store inside
// the write transaction (BEGIN IMMEDIATE), so two processes importing the same folder serialise and the
// second one sees the first one's images instead of colliding on a name.
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import type { ImageImportReport } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import * as store from '../store/images.js';
import type { Confirmed, Decoded } from './decode.js';
import type { ScannedFile } from './scan.js';

export interface ImportContext {
  /** The imported folder (absolute). */
  root: string;
  /** Its name, prefixed to new images whose path is already another image's name. */
  folderName: string;
  /**
   * The triplets this import flagged: the report counts triplets, not flags (a triplet of two changed
   * photos is one triplet to check), and a triplet flagged twice is counted once.
   */
  flaggedTriplets: Set<number>;
}

/** Names a triplet file cannot carry as written: whitespace separates fields, a leading '#' is a comment. */
export const needsEscaping = (name: string): boolean => /\s/.test(name) || name.startsWith('#');

/** Writes one batch of decoded files in one IMMEDIATE transaction. */
export function writeBatch(db: Db, batch: (Decoded | Confirmed)[], ctx: ImportContext, report: ImageImportReport): void {
  const sorted = [...batch].sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
  const counted = countsOf(report);
  try {
    busyIsClear(() => db.transaction(() => sorted.forEach((d) => writeOne(db, d, ctx, report))).immediate());
  } catch (err) {
    restoreCounts(report, counted); // the batch was rolled back: the report must not count it (the import ends here)
    throw err;
  }
}

function countsOf(r: ImageImportReport) {
  return { added: r.added, unchanged: r.unchanged, updated: r.updated, flagged: r.flagged, duplicates: r.duplicates.length, needsEscaping: r.needsEscaping.length };
}

function restoreCounts(r: ImageImportReport, c: ReturnType<typeof countsOf>): void {
  Object.assign(r, { added: c.added, unchanged: c.unchanged, updated: c.updated, flagged: c.flagged });
  r.duplicates.length = c.duplicates;
  r.needsEscaping.length = c.needsEscaping;
}

/** Another process holding the write lock past the busy timeout gets a message saying so, not SQLITE_BUSY. */
function busyIsClear(write: () => void): void {
  try {
    write();
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new AppError('BUSY', 'The project is busy: another process has been writing to it for too long. This import stopped; what it wrote is kept — run it again to finish.');
    }
    throw err;
  }
}

/** The file's size, times and number as the scan saw them. */
function stampOf(f: ScannedFile): store.FileStamp {
  return { bytes: f.bytes, mtime_ms: f.mtimeMs, ino: f.ino, ctime_ms: f.ctimeMs };
}

function pathOf(d: Decoded, ctx: ImportContext): store.NewPath {
  return { abs_path: d.file.path, root: ctx.root, rel: d.file.name.normalize('NFC'), ...stampOf(d.file), sha256: d.sha256 };
}

function imageOf(d: Decoded): Omit<store.NewImage, 'name'> {
  return {
    abs_path: d.file.path,
    sha256: d.sha256,
    width: d.width,
    height: d.height,
    bytes: d.file.bytes,
    mtime_ms: d.file.mtimeMs,
    thumb: d.thumb,
    orientation: d.orientation,
  };
}

function writeOne(db: Db, d: Decoded | Confirmed, ctx: ImportContext, report: ImageImportReport): void {
  const at = store.pathsAt(db, d.file.path);
  const same = at.find((r) => r.sha256 === d.sha256);
  if (same) {
    store.touchPath(db, same.id, stampOf(d.file));
    report.unchanged++;
    return;
  }
  // Confirmed against a record another process replaced while the file was hashed: not decoded, so not written.
  if ('confirmed' in d) return void report.skipped.push({ path: d.file.path, reason: 'changed in the project by another process while it was read: import the folder again' });
  if (!at.length) return addFile(db, d, ctx, report);
  changedFile(db, d, at[0], ctx, report);
}

/**
 * A known file with new content. If the image's labelled content is still on disk under another of
 * its paths (checked on the drive, not only in its record), this path leaves the image, which is read
 * from that other path from now on, and is imported as a file of its own; otherwise the image gets
 * a new version and its triplets are flagged; its cached features (keyed by the old sha256) no longer apply.
 */
function changedFile(db: Db, d: Decoded, row: store.PathRow, ctx: ImportContext, report: ImageImportReport): void {
  const holding = store.pathsWithCurrentContent(db, row.image_id, row.id).filter(unchangedOnDisk);
  if (holding.length) {
    store.deletePath(db, row.id);
    // The image's photo is read from its primary path (features, full view): not from this one any more.
    if (store.imageById(db, row.image_id)!.abs_path === row.abs_path) store.setPrimaryPath(db, row.image_id, holding[0].abs_path);
    return addFile(db, d, ctx, report);
  }
  const image = store.imageById(db, row.image_id)!;
  if (image.sha256 === d.sha256) {
    // Another of its paths already brought the image to this content: only this path's record lags.
    store.insertPath(db, image.id, pathOf(d, ctx));
    report.unchanged++;
    return;
  }
  const reason = store.changedOnDiskReason(image.name, `(${d.file.path}) after it was labelled`);
  for (const id of store.newVersion(db, image.id, imageOf(d), reason)) ctx.flaggedTriplets.add(id);
  report.flagged = ctx.flaggedTriplets.size;
  store.insertPath(db, image.id, pathOf(d, ctx));
  // No features to drop: the feature cache is keyed by content (sha256), so the new content has none yet.
  report.updated++;
}

/**
 * Whether a path's file still looks as recorded (size, mtime, and number and change time where
 * recorded). Its record alone is not enough: a folder imported twice through a symlink, or a hard
 * link, is the very file that just changed.
 */
function unchangedOnDisk(r: store.PathRow): boolean {
  try {
    const st = statSync(r.abs_path);
    const same = st.isFile() && st.size === r.bytes && st.mtimeMs === r.mtime_ms;
    return same && (r.ino === null || st.ino === r.ino) && (r.ctime_ms === null || st.ctimeMs === r.ctime_ms);
  } catch {
    return false;
  }
}

/** A file not yet in the project: another path of an image with the same bytes, or a new image. */
function addFile(db: Db, d: Decoded, ctx: ImportContext, report: ImageImportReport): void {
  const p = pathOf(d, ctx);
  const twin = store.imageBySha(db, d.sha256);
  if (twin) {
    // The same relative path whose old file is gone: the folder moved, the image did not change.
    const moved = store.pathsOfImage(db, twin.id).some((r) => r.rel.normalize('NFC') === p.rel && !existsSync(r.abs_path));
    store.insertPath(db, twin.id, p);
    if (!existsSync(twin.abs_path)) store.setPrimaryPath(db, twin.id, d.file.path);
    if (moved) report.unchanged++;
    else report.duplicates.push({ path: d.file.path, of: twin.name });
    return;
  }
  const name = store.allocateName(db, d.file.name, ctx.folderName);
  const id = store.insertImage(db, { ...imageOf(d), name });
  store.insertPath(db, id, p);
  report.added++;
  if (needsEscaping(name)) report.needsEscaping.push(name);
}

/** A file to read; `expected` when only its number or change time moved: the content to confirm by hash. */
export interface ToRead {
  file: ScannedFile;
  expected?: string;
}

/**
 * Files not re-read: the same file (number and change time) with unchanged size and mtime at a known
 * path. A file whose size and mtime match but which is another file (two photos swapped by name) or
 * was written since (copied over with its times kept) is hashed; anything else is read and identified
 * by content — a moved folder too, since a file is only trusted to be the same image when its bytes are.
 */
export function skipUnread(db: Db, files: ScannedFile[], report: ImageImportReport): ToRead[] {
  const byAbs = new Map<string, store.PathRow[]>();
  for (const r of store.allPaths(db)) push(byAbs, r.abs_path, r);
  const todo: ToRead[] = [];
  for (const f of files) {
    const looksSame = byAbs.get(f.path)?.filter((r) => r.bytes === f.bytes && r.mtime_ms === f.mtimeMs) ?? [];
    if (looksSame.some((r) => r.ino === f.ino && r.ctime_ms === f.ctimeMs)) report.unchanged++;
    else todo.push({ file: f, expected: looksSame[0]?.sha256 });
  }
  return todo;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
