// Imports a triplet file into one split. Names resolve to an image's relative path or, when unique, its
// basename. The file is streamed and written in a worker thread (triplet-import-worker.ts running
// import-run.ts), inside one transaction: a file with any problem is refused as a whole (store
// untouched) unless skipInvalid; see import-run.ts for what happens to each line.
import { AppError } from '../../shared/errors.js';
import type { Split, TripletImportReport } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { isCommandLine } from '../store/history.js';
import { callWorker } from '../util/worker-rpc.js';
import type { TripletImportOptions } from './import-run.js';
import type { TripletImportProgress, TripletImportWorkerInput } from './triplet-import-worker.js';

export type { TripletImportOptions };

export interface TripletImportControl {
  signal?: AbortSignal;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

const WORKER_URL = new URL('./triplet-import-worker.js', import.meta.url);

/**
 * Imports `file` into `split` of the store behind `db` (its own connection in a worker; `db` itself
 * must not be inside a transaction). Resolves with the report; a refused file rejects with
 * INVALID_FILE whose details are `{ report }`; a cancel rejects with an AbortError (rolled back).
 */
export function importTriplets(db: Db, file: string, split: Split, options: TripletImportOptions = {}, control: TripletImportControl = {}): Promise<TripletImportReport> {
  if (db.memory || !db.name) return Promise.reject(new AppError('INTERNAL', 'Triplet import needs a store on disk.'));
  const input: TripletImportWorkerInput = { dbFile: db.name, file, split, options, commandLine: isCommandLine(db) };
  // A cancel asks the worker to stop between batches; it rolls back, then reports the abort.
  return callWorker<TripletImportReport, TripletImportProgress>(WORKER_URL, input, {
    name: 'Triplet import worker',
    signal: control.signal,
    cancel: 'ask',
    onProgress: (p) => control.onProgress?.({ phase: p.phase, done: p.done, total: p.total }),
    // A small young generation: the import makes short-lived strings only, and RSS is a target (≤ 300 MB).
    workerOptions: { resourceLimits: { maxYoungGenerationSizeMb: 8 } },
  });
}
