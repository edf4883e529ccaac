// Commits that must not be lost to a busy database (a finished run's results): each attempt waits only
// briefly for the write lock, so the event loop stays free, and the commit is retried with back-off for
// as long as another process holds the lock, reporting that it is waiting, until it succeeds or is cancelled.
import { abortError } from '../jobs/abort.js';
import type { ProgressFn } from '../jobs/progress.js';
import { BUSY_TIMEOUT_MS, type Db } from '../store/db.js';

export const WAITING_PHASE = 'waiting for the database';

export const isBusyError = (err: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test((err as { code?: string })?.code ?? '');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(abortError()));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PersistentCommitOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** How long one attempt waits for the lock inside SQLite (ms). */
  attemptMs?: number;
  /** Back-off bounds between attempts (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Runs `write` (one transaction) until it commits; only SQLITE_BUSY/LOCKED is retried. */
export async function commitPersistently<T>(db: Db, write: () => T, opts: PersistentCommitOptions = {}): Promise<T> {
  const attemptMs = opts.attemptMs ?? 200;
  let delay = opts.minDelayMs ?? 100;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    db.pragma(`busy_timeout = ${attemptMs}`);
    try {
      return write();
    } catch (err) {
      if (!isBusyError(err)) throw err;
    } finally {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    const waited = Math.round((Date.now() - started) / 1000);
    opts.onProgress?.({
      phase: WAITING_PHASE,
      done: 0,
      total: 0,
      message: `Another process is writing to the project; the results are kept and will be saved when it is done (waiting ${waited}s, attempt ${attempt}).`,
    });
    await sleep(delay, opts.signal);
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 2000);
  }
}
