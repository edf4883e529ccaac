// Read-only access to a store: detecting that a project cannot be written, and opening it for viewing.
// SQLite cannot open a WAL-mode file read-only when the folder does not let it create the shared-memory
// file; then the store (with its WAL, so committed data is not missed) is read from a private copy.
// A store from an older version cannot be migrated in place when it is read-only; its schema is
// brought up to date on a private copy instead, so every read finds the tables it expects.
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type WritableCheck = (file: string) => boolean;

/** True when this process may write the store file and create its -wal/-shm files beside it. */
export const canWrite: WritableCheck = (file) => {
  try {
    accessSync(dirname(file), constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

let writableCheck: WritableCheck = canWrite;

/** Replaces the check (tests run as root, for whom every file is writable); returns the previous one. */
export function setWritableCheck(check: WritableCheck): WritableCheck {
  const previous = writableCheck;
  writableCheck = check;
  return previous;
}

export function isWritable(file: string): boolean {
  return writableCheck(file);
}

// SQLITE_IOERR_SHMOPEN and kin: a drive that answers writes with I/O errors cannot make the shared-memory file either.
const CANNOT_OPEN = /^SQLITE_(CANTOPEN|READONLY|IOERR)/;

/** Opens the store read-only: in place when SQLite can, else from a private temporary copy. */
export function openReadOnly(file: string, nativeBinding = process.env.TRIPLET_STUDIO_SQLITE_BINDING || undefined): Database.Database {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding });
    try {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get(); // the WAL index is opened lazily
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    if (!CANNOT_OPEN.test((err as { code?: string }).code ?? '')) throw err;
    return openCopy(file, nativeBinding);
  }
}

/**
 * A read-only store at an older schema: a private copy, upgraded by `upgrade` (the migrations), that
 * the caller only reads (the project is open read-only). The original file is never written.
 */
export function openUpgradedCopy(file: string, upgrade: (db: Database.Database) => void, nativeBinding?: string): Database.Database {
  const db = openCopy(file, nativeBinding, false);
  try {
    upgrade(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openCopy(file: string, nativeBinding?: string, readonly = true): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'triplet-studio-ro-'));
  const copy = join(dir, basename(file));
  copyFileSync(file, copy);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  const db = new Database(copy, { readonly, fileMustExist: true, nativeBinding });
  const close = db.close.bind(db);
  db.close = () => {
    close();
    rmSync(dir, { recursive: true, force: true });
    return db;
  };
  return db;
}
