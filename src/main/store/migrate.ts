// Schema migrations: a snapshot of an existing store first, then every pending migration in one
// EXCLUSIVE transaction that re-reads user_version under the lock, so when two processes open an old
// project together exactly one migrates and the other sees the result.
import { existsSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import { MIGRATIONS } from './migrations/index.js';

type Db = Database.Database;

const version = (db: Db): number => db.pragma('user_version', { simple: true }) as number;
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

function assertNotNewer(current: number): void {
  if (current > LATEST_VERSION) {
    throw new AppError(
      'CONFLICT',
      `This project was written by a newer Triplet Studio (schema ${current}, this version knows ${LATEST_VERSION}).`,
    );
  }
}

/** `project.sqlite.pre-migration-v2-20261204T141500Z.bak`: the schema it had and when it was taken. */
export function snapshotName(file: string, schema: number, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${file}.pre-migration-v${schema}-${stamp}.bak`;
}

/**
 * A consistent copy of the store (VACUUM INTO reads one snapshot; the WAL's committed pages included).
 * Two processes opening an old project in the same second pick the same name: VACUUM INTO refuses an
 * existing file, so the one that loses takes the next free name instead of failing to open.
 */
function snapshot(db: Db, file: string, schema: number): string {
  const base = snapshotName(file, schema);
  for (let i = 1; ; i++) {
    const target = i === 1 ? base : base.replace(/\.bak$/, `-${i}.bak`);
    if (existsSync(target)) continue;
    try {
      db.prepare('VACUUM INTO ?').run(target);
      return target;
    } catch (err) {
      if (!/output file already exists/.test((err as Error).message) || i >= 100) throw err;
    }
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** BEGIN EXCLUSIVE, waiting (beyond busy_timeout) while another process migrates, up to `waitMs`. */
function exclusive<T>(db: Db, fn: () => T, waitMs = 120_000): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return db.transaction(fn).exclusive();
    } catch (err) {
      const busy = /^SQLITE_BUSY/.test((err as { code?: string }).code ?? '');
      if (!busy || Date.now() > deadline) throw err;
      sleepSync(50);
    }
  }
}

/**
 * Applies every migration newer than the store. `file` given: an existing store with data is
 * snapshotted beside it first. Returns the snapshot path when one was kept.
 */
export function migrate(db: Db, file?: string): string | null {
  const before = version(db);
  assertNotNewer(before);
  if (before === LATEST_VERSION) return null;
  // Taken before the lock (VACUUM cannot run inside a transaction); dropped below if another
  // process migrated meanwhile (it kept its own snapshot).
  const snap = file && before > 0 ? snapshot(db, file, before) : null;
  const migrated = exclusive(db, () => {
    const current = version(db);
    assertNotNewer(current);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    return current < LATEST_VERSION;
  });
  if (!migrated && snap) rmSync(snap, { force: true });
  return migrated ? snap : null;
}
