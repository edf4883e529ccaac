// Opens a project's SQLite store: WAL, foreign keys, numbered migrations, checked before use.
// Every write transaction starts IMMEDIATE (it takes the write lock at BEGIN), so two processes
// writing one project queue on busy_timeout instead of failing with SQLITE_BUSY_SNAPSHOT when a
// read turns into a write; reads that need one consistent view use readTransaction.
import Database from 'better-sqlite3';
import { asStoreError, checkBeforeOpen, checkOpened, storeWriteError } from './check.js';
import { LATEST_VERSION, migrate } from './migrate.js';
import { openReadOnly, openUpgradedCopy } from './readonly.js';

export type Db = Database.Database;
export { migrate } from './migrate.js';

export interface OpenOptions {
  /** Open for viewing only: no WAL switch, no migration, no writes. */
  readonly?: boolean;
  /** Skip the quick_check on open (the caller runs its own check). */
  skipCheck?: boolean;
}

/** The better-sqlite3 binding to load (the packaged app sets it: electron/main.ts); undefined: the default. */
export const nativeBinding = (): string | undefined => process.env.TRIPLET_STUDIO_SQLITE_BINDING || undefined;

/** How long a statement waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export function openDb(file: string, options: OpenOptions = {}): Db {
  const existing = checkBeforeOpen(file);
  let db: Db | null = null;
  try {
    if (options.readonly) {
      db = openReadOnly(file, nativeBinding());
      if ((db.pragma('user_version', { simple: true }) as number) < LATEST_VERSION) {
        // Written by an older version and not ours to migrate: read an upgraded private copy.
        db.close();
        db = openUpgradedCopy(file, (copy) => void migrate(copy), nativeBinding());
      }
      configure(db, file, true);
      if (!options.skipCheck) checkOpened(db, file);
      return db;
    }
    db = new Database(file, { nativeBinding: nativeBinding() });
    configure(db, file);
    if (existing && !options.skipCheck) checkOpened(db, file);
    db.pragma('journal_mode = WAL');
    // Each commit waits until the drive has it (fsync of the WAL): a label the app calls saved
    // survives a system crash, and a drive that fails answers the edit that met it (store/check.ts
    // storeWriteError) instead of losing it later in the background. NORMAL cost one sync per
    // checkpoint only; FULL costs about 0.2 ms more per edit here (bench/durability.ts).
    db.pragma('synchronous = FULL');
    // A large write (a big import, also one killed before its commit) grows the -wal file, which
    // SQLite reuses but never shrinks: cut it back to 16 MiB whenever it starts over.
    db.pragma(`journal_size_limit = ${16 << 20}`);
    migrate(db, file);
    return db;
  } catch (err) {
    db?.close();
    throw asStoreError(err, file);
  }
}

function configure(db: Db, file: string, readonly = false): void {
  // Another process (CLI next to the app) may hold the write lock briefly.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  // A read-only connection cannot BEGIN IMMEDIATE; it cannot write either, so deferred is right there.
  if (!readonly) immediateByDefault(db, file);
}

type TransactionFn = ReturnType<Db['transaction']>;

/**
 * Makes `db.transaction(fn)()` begin IMMEDIATE on this connection, so code written with the plain
 * call (including modules that do not know about this rule) never starts a deferred write.
 * `.deferred` stays available for readTransaction. A write that fails because the folder stopped
 * taking writes (or its drive started failing) while the store was open is said as such (check.ts storeWriteError).
 */
function immediateByDefault(db: Db, file: string): void {
  const original = db.transaction.bind(db);
  const said =
    (run: (...args: never[]) => unknown) =>
    (...args: never[]): unknown => {
      try {
        return run(...args);
      } catch (err) {
        throw storeWriteError(err, file) ?? err;
      }
    };
  const patched = (fn: (...args: never[]) => unknown): TransactionFn => {
    const t = original(fn);
    const call = said(t.immediate) as unknown as TransactionFn;
    for (const k of ['default', 'deferred', 'immediate', 'exclusive'] as const) {
      Object.defineProperty(call, k, { value: k === 'default' ? call : k === 'deferred' ? t.deferred : said(t[k]) });
    }
    return call;
  };
  db.transaction = patched as Db['transaction'];
}

/** Runs `fn` as one IMMEDIATE write transaction (the helper to use in new code). */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Runs `fn` in one read transaction: every query inside sees the same committed state. */
export function readTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).deferred();
}
