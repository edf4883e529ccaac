// Opens a project's SQLite store: WAL, foreign keys, numbered migrations.
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export function openDb(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    // Electron loads a copy of the addon built for its own ABI (scripts/electron-sqlite.mjs).
    nativeBinding: process.env.TRIPLET_STUDIO_SQLITE_BINDING || undefined,
  });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Another process (CLI next to the app) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) migrate(db);
  return db;
}

/** Applies every migration newer than the store, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`This project was written by a newer Triplet Studio (schema ${current}, this version knows ${latest}).`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
