// Triplet-import worker: opens its own connection to the project's store and runs one streamed
// import (import-run.ts) there, so the thread that answers the UI never parses or writes a big file.
// Progress goes out at most every 100 ms; a cancel (the RPC helper's abort message) stops it between
// batches (rolled back). Served through the worker-RPC helper (util/worker-serve.ts).
import type { Split, TripletImportReport } from '../../shared/types.js';
import { openDb } from '../store/db.js';
import { markCommandLine } from '../store/history.js';
import { serveWorker } from '../util/worker-serve.js';
import { runTripletImport, type TripletImportOptions } from './import-run.js';

export interface TripletImportWorkerInput {
  dbFile: string;
  file: string;
  split: Split;
  options: TripletImportOptions;
  /** The import runs for the command line: its history step is marked so (store/history.ts). */
  commandLine?: boolean;
}

export interface TripletImportProgress {
  phase: string;
  done: number;
  total: number;
}

serveWorker<TripletImportWorkerInput, TripletImportReport, TripletImportProgress>(async (input, ctx) => {
  const db = openDb(input.dbFile);
  if (input.commandLine) markCommandLine(db);
  // 8 MB of page cache (default 2 MB): fewer spills while one long transaction runs, memory bounded.
  db.pragma('cache_size = -8192');
  let last = 0;
  try {
    return await runTripletImport(db, input.file, input.split, input.options, {
      signal: ctx.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < 100 && p.phase === 'importing') return;
        last = now;
        ctx.progress(p);
      },
    });
  } finally {
    db.close();
  }
});
