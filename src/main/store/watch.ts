// Notices commits made by other connections (the CLI, or a second app window's process) to an open
// store: PRAGMA data_version changes only when another connection commits, and reading it is a cheap
// in-memory check, so polling it once a second costs nothing measurable.
import type Database from 'better-sqlite3';

export const WATCH_INTERVAL_MS = 1000;

/** Calls `onChange` after another connection commits; returns a stop function. */
export function watchExternalChanges(db: Database.Database, onChange: () => void, intervalMs = WATCH_INTERVAL_MS): () => void {
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
  return stop;
}
