// Notices commits made by other connections (the CLI, or a second app window's process) to an open
// store: PRAGMA data_version changes only when another connection commits, and reading it is a cheap
// in-memory check, so polling it once a second costs nothing measurable.
import type Database from 'better-sqlite3';

export const WATCH_INTERVAL_MS = 1000;

/**
 * A stop function that can also take the store's current version as seen: the service calls
 * `resync` when it reports a commit made through its own second connection (the triplet import
 * worker), so that commit is not reported again a second later as someone else's. True when the
 * version had moved since the last look (the caller then reports every kind of change).
 */
export type ExternalWatch = (() => void) & { resync(): boolean };

/** Calls `onChange` after another connection commits; returns a stop function (with `resync`). */
export function watchExternalChanges(db: Database.Database, onChange: () => void, intervalMs = WATCH_INTERVAL_MS): ExternalWatch {
  const read = () => db.pragma('data_version', { simple: true }) as number;
  let last = read();
  const timer = setInterval(() => {
    if (!db.open) return stop();
    let now: number;
    try {
      now = read();
    } catch {
      return; // busy or closing: try again next tick
    }
    if (now !== last) {
      last = now;
      onChange();
    }
  }, intervalMs);
  timer.unref?.();
  const stop = () => clearInterval(timer);
  const resync = (): boolean => {
    if (!db.open) return false;
    const now = read();
    const moved = now !== last;
    last = now;
    return moved;
  };
  return Object.assign(stop, { resync });
}
