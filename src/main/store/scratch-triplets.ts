// A run's scratch store (large training sets, ml/encoder/sources/sqlite.ts): its own SQLite file in
// the project's `scratch/` folder, never the project store. It holds the run's snapshot of the
// active train triplets (`snap`: triplet id, line, image ids, copied inside the run's read
// transaction) and, once features are known, the usable ones as feature-row indices (`train`, in
// import order, BLOCK_TRIPLETS consecutive triplets per row as one int32 blob: a block is one read
// and one buffer, not 64 rows of 3 values), which the training worker opens read-only and samples
// from. The file is a cache: no journal, no fsync (a crash leaves a stale file, removed when the
// project next opens).
import type { PROJECT_FOLDERS } from '../../shared/project-layout.js';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Db, nativeBinding } from './db.js';
import { reallyInside } from '../util/inside-on-drive.js';
import { makeDirs } from '../util/make-dirs.js';

/** The project's scratch folder (run-scoped files; safe to delete when no run is training). */
export const scratchDirOf = (projectDir: string): string => join(projectDir, 'scratch' satisfies keyof typeof PROJECT_FOLDERS);

/** Rows read per statement when a pass walks the snapshot (no statement stays open across writes). */
const CHUNK = 8192;

/** A new, empty scratch store at `file` (replacing one left there). */
export function createScratch(file: string): Db {
  removeScratchFile(file);
  makeDirs(join(file, '..'));
  const db = new Database(file, { nativeBinding: nativeBinding() });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE snap (tid INTEGER NOT NULL, line INTEGER NOT NULL, a INTEGER NOT NULL, p INTEGER NOT NULL, n INTEGER NOT NULL);
           CREATE TABLE train (block INTEGER PRIMARY KEY, abc BLOB NOT NULL);`);
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

/** Triplets per `train` row: the unit the worker draws (a block of consecutive triplets; bench/train-stream.ts). */
export const BLOCK_TRIPLETS = 64;

/** Appends usable triplets (feature rows) to `train`, a block at a time; `end()` writes the last block and returns the count. Call inside one transaction. */
export function trainWriter(scratch: Db): { add(a: number, p: number, n: number): void; end(): number } {
  const ins = scratch.prepare(`INSERT INTO train (block, abc) VALUES (?, ?)`);
  const buf = new Int32Array(3 * BLOCK_TRIPLETS);
  let fill = 0;
  let blocks = 0;
  const flush = () => {
    if (fill > 0) ins.run(blocks++, Buffer.from(buf.buffer, 0, 12 * fill));
    fill = 0;
  };
  return {
    add(a, p, n) {
      buf[3 * fill] = a;
      buf[3 * fill + 1] = p;
      buf[3 * fill + 2] = n;
      if (++fill === BLOCK_TRIPLETS) flush();
    },
    end() {
      const count = blocks * BLOCK_TRIPLETS + fill;
      flush();
      return count;
    },
  };
}

/** The scratch store for reading (the training worker): read-only, so nothing there can change it. */
export function openScratchReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
}

/** A blob's int32 values (copied: the blob need not be 4-byte aligned). */
const int32sOf = (b: Buffer): Int32Array => new Int32Array(new Uint8Array(b).buffer);

/** Feature rows [a, p, n, …] of block `b` (0-based): triplets b × BLOCK_TRIPLETS onwards. */
export function trainBlockReader(scratch: Db): (b: number) => Int32Array {
  const read = scratch.prepare(`SELECT abc FROM train WHERE block = ?`).pluck();
  return (b) => int32sOf(read.get(b) as Buffer);
}

/** Calls `fn(a, p, n, i)` for every train triplet in order (i 0-based): one blob per block. */
export function eachTrainTriplet(scratch: Db, fn: (a: number, p: number, n: number, i: number) => void): void {
  let i = 0;
  for (const blob of scratch.prepare(`SELECT abc FROM train ORDER BY block`).pluck().iterate() as IterableIterator<Buffer>) {
    const t = int32sOf(blob);
    for (let k = 0; k < t.length; k += 3) fn(t[k], t[k + 1], t[k + 2], i++);
  }
}

/** Removes a scratch file and any journal beside it (missing files are fine). */
export function removeScratchFile(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/**
 * Removes the scratch files `isLive` does not claim (a crashed run's); returns how many. A `scratch`
 * link leading out of the project is not swept: the .sqlite files there are someone else's.
 */
export function removeStaleScratch(projectDir: string, isLive: (name: string) => boolean): number {
  const dir = scratchDirOf(projectDir);
  if (!existsSync(dir) || !reallyInside(projectDir, dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.sqlite') || isLive(name)) continue;
    removeScratchFile(join(dir, name));
    removed++;
  }
  return removed;
}
