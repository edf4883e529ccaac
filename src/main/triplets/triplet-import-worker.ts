// Triplet-import worker: opens its own connection to the project's store and runs one streamed
// import (import-run.ts) there, so the thread that answers the UI never parses or writes a big file.
// Progress goes out at most every 100 ms; a 'cancel' message stops it between batches (rolled back).
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import type { Split, TripletImportReport } from '../../shared/types.js';
import { isAbortError } from '../jobs/eta.js';
import { openDb } from '../store/db.js';
import { workerInput } from '../util/worker.js';
import { runTripletImport, type TripletImportOptions } from './import-run.js';

export interface TripletImportWorkerInput {
  dbFile: string;
  file: string;
  split: Split;
  options: TripletImportOptions;
}

export type ToTripletImportWorker = { t: 'cancel' };

export type FromTripletImportWorker =
  | { t: 'progress'; phase: string; done: number; total: number }
  | { t: 'done'; report: TripletImportReport }
  | { t: 'error'; message: string; code?: string; details?: unknown; aborted?: boolean; sqliteCode?: string };

const port = parentPort!;
const input = workerInput<TripletImportWorkerInput>();
let cancelled = false;
const onMessage = (msg: ToTripletImportWorker) => {
  if (msg.t === 'cancel') cancelled = true;
};
port.on('message', onMessage);

async function main(): Promise<FromTripletImportWorker> {
  const db = openDb(input.dbFile);
  // 8 MB of page cache (default 2 MB): fewer spills while one long transaction runs, memory bounded.
  db.pragma('cache_size = -8192');
  let last = 0;
  try {
    const report = await runTripletImport(db, input.file, input.split, input.options, {
      cancelled: () => cancelled,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 100 && p.phase === 'importing') return;
        last = now;
        port.postMessage({ t: 'progress', ...p } satisfies FromTripletImportWorker);
      },
    });
    return { t: 'done', report };
  } catch (err) {
    if (isAbortError(err)) return { t: 'error', message: 'Cancelled.', aborted: true };
    if (err instanceof AppError) return { t: 'error', message: err.message, code: err.code, details: err.details };
    // SQLite's code (SQLITE_BUSY…) travels along, so callers can say what it means.
    return { t: 'error', message: err instanceof Error ? err.message : String(err), sqliteCode: (err as { code?: string })?.code };
  } finally {
    db.close();
  }
}

const result = await main();
port.postMessage(result);
port.off('message', onMessage);
