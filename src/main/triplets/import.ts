// Imports a triplet file into one split. Names resolve to an image's relative path or, when unique, its
// basename. The file is streamed and written in a worker thread (triplet-import-worker.ts running
// import-run.ts), inside one transaction: a file with any problem is refused as a whole (store
// untouched) unless skipInvalid; see import-run.ts for what happens to each line.
import { AppError } from '../../shared/errors.js';
import type { Split, TripletImportReport } from '../../shared/types.js';
import { abortError } from '../jobs/eta.js';
import type { Db } from '../store/db.js';
import { startWorker } from '../util/worker.js';
import type { TripletImportOptions } from './import-run.js';
import type { FromTripletImportWorker, TripletImportWorkerInput } from './triplet-import-worker.js';

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
  const input: TripletImportWorkerInput = { dbFile: db.name, file, split, options };
  return new Promise((resolvePromise, reject) => {
    // A small young generation: the import makes short-lived strings only, and RSS is a target (≤ 300 MB).
    const worker = startWorker(WORKER_URL, input, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      control.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => worker.postMessage({ t: 'cancel' });
    if (control.signal?.aborted) onAbort();
    control.signal?.addEventListener('abort', onAbort);
    worker.on('message', (msg: FromTripletImportWorker) => {
      if (msg.t === 'progress') control.onProgress?.({ phase: msg.phase, done: msg.done, total: msg.total });
      else if (msg.t === 'done') settle(() => resolvePromise(msg.report));
      else if (msg.aborted) settle(() => reject(abortError()));
      else settle(() => reject(msg.code ? new AppError(msg.code as AppError['code'], msg.message, msg.details) : Object.assign(new Error(msg.message), { code: msg.sqliteCode })));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`Triplet import worker exited early (code ${code}).`))));
  });
}
