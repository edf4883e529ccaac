// A run's scratch store (large training sets, ml/encoder/sources/sqlite.ts): its own SQLite file in
// the project's `scratch/` folder, never the project store. It holds the run's snapshot of the
// active train triplets (`snap`: triplet id, line, image ids, copied inside the run's read
// transaction) and, once features are known, the usable ones as feature-row indices (`train`, rowid
// 1…count, import order), which the training worker opens read-only and samples from. The file is a
// cache: no journal, no fsync (a crash leaves a stale file, removed when the project next opens).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './db.js';

const nativeBinding = (): string | undefined => process.env.TRIPLET_STUDIO_SQLITE_BINDING || undefined;

/** The project's scratch folder (run-scoped files; safe to delete when no run is training). */
export const scratchDirOf = (projectDir: string): string => join(projectDir, 'scratch');

/** Rows read per statement when a pass walks the snapshot (no statement stays open across writes). */
const CHUNK = 8192;

/** A new, empty scratch store at `file` (replacing one left there). */
export function createScratch(file: string): Db {
  removeScratchFile(file);
  mkdirSync(join(file, '..'), { recursive: true });
  const db = new Database(file, { nativeBinding: nativeBinding() });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE snap (tid INTEGER NOT NULL, line INTEGER NOT NULL, a INTEGER NOT NULL, p INTEGER NOT NULL, n INTEGER NOT NULL);
           CREATE TABLE train (a INTEGER NOT NULL, p INTEGER NOT NULL, n INTEGER NOT NULL);`);
  return db;
}

/** The scratch store at `file` again, for the main process's passes and its one write of `train`. */
export function openScratch(file: string): Db {
  const db = new Database(file, { fileMustExist: true, nativeBinding: nativeBinding() });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  return db;
}

/**
 * Copies the split's active triplets of `project` (in seq order) into the scratch's `snap`, one
 * INSERT transaction, row by row (nothing held), calling `onRow` with each row's image ids; the
 * caller holds the project's read transaction.
 */
export function copyActiveTriplets(project: Db, scratch: Db, split: 'train' | 'test', onRow?: (a: number, p: number, n: number) => void): number {
  const ins = scratch.prepare(`INSERT INTO snap (tid, line, a, p, n) VALUES (?, ?, ?, ?, ?)`);
  const rows = project.prepare(`SELECT id, line, anchor_id, positive_id, negative_id FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`).raw();
  let count = 0;
  scratch.transaction(() => {
    for (const [id, line, a, p, n] of rows.iterate(split) as IterableIterator<[number, number | null, number, number, number]>) {
      ins.run(id, line ?? 0, a, p, n);
      onRow?.(a, p, n);
      count++;
    }
  })();
  return count;
}

/** Calls `fn` with the snapshot's rows [rowid, tid, line, a, p, n] in order, CHUNK at a time (so `fn` may write). */
export function eachSnapChunk(scratch: Db, fn: (rows: number[][]) => void): void {
  const read = scratch.prepare(`SELECT rowid, tid, line, a, p, n FROM snap WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK}`).raw();
  for (let after = 0; ; ) {
    const rows = read.all(after) as number[][];
    if (rows.length === 0) return;
    after = rows[rows.length - 1][0];
    fn(rows);
  }
}

/** Appends usable triplets (feature rows) to `train`; call inside one transaction (trainWriter's caller). */
export function trainWriter(scratch: Db): (a: number, p: number, n: number) => void {
  const ins = scratch.prepare(`INSERT INTO train (a, p, n) VALUES (?, ?, ?)`);
  return (a, p, n) => void ins.run(a, p, n);
}

/** The scratch store for reading (the training worker): read-only, so nothing there can change it. */
export function openScratchReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
}

/** Feature rows [a, p, n] of train triplets rowid `from`…`to` (1-based, inclusive), in rowid order. */
export function trainBlockReader(scratch: Db): (from: number, to: number) => number[][] {
  const read = scratch.prepare(`SELECT a, p, n FROM train WHERE rowid BETWEEN ? AND ? ORDER BY rowid`).raw();
  return (from, to) => read.all(from, to) as number[][];
}

/** Calls `fn(a, p, n, i)` for every train triplet in rowid order (i 0-based), CHUNK rows per statement. */
export function eachTrainTriplet(scratch: Db, count: number, fn: (a: number, p: number, n: number, i: number) => void): void {
  const read = trainBlockReader(scratch);
  for (let from = 1; from <= count; from += CHUNK) {
    const rows = read(from, Math.min(count, from + CHUNK - 1));
    for (let k = 0; k < rows.length; k++) fn(rows[k][0], rows[k][1], rows[k][2], from - 1 + k);
  }
}

/** Removes a scratch file and any journal beside it (missing files are fine). */
export function removeScratchFile(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** Removes the scratch files `isLive` does not claim (a crashed run's); returns how many. */
export function removeStaleScratch(projectDir: string, isLive: (name: string) => boolean): number {
  const dir = scratchDirOf(projectDir);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.sqlite') || isLive(name)) continue;
    removeScratchFile(join(dir, name));
    removed++;
  }
  return removed;
}
