// The worker side of the worker-RPC helper (worker-rpc.ts): runs one task on the worker's input,
// streams progress, posts the result (or the error, serialized with its AppError or SQLite code) and
// turns an `{ t: 'abort' }` message into an AbortSignal.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import { isAbortError } from '../jobs/abort.js';
import { workerInput } from './worker.js';

/** An error as it crosses from a worker to its parent. */
export interface WorkerError {
  message: string;
  /** An AppError's code (a Node error's code like ENOENT is not an ErrorCode). */
  code?: string;
  details?: unknown;
  /** A Node or SQLite error's own code (SQLITE_BUSY…), for a code-less error. */
  sysCode?: string;
  aborted?: boolean;
}

export type ToWorker = { t: 'abort' };

export type FromWorker<R, P> = { t: 'progress'; p: P } | { t: 'result'; value: R } | { t: 'error'; error: WorkerError };

export function toWorkerError(err: unknown): WorkerError {
  if (isAbortError(err)) return { message: 'Cancelled.', aborted: true };
  if (err instanceof AppError) return { message: err.message, code: err.code, details: err.details };
  const sysCode = (err as { code?: unknown })?.code;
  return { message: err instanceof Error ? err.message : String(err), ...(typeof sysCode === 'string' ? { sysCode } : {}) };
}

export interface WorkerTaskContext<P> {
  /** Aborted when the parent cancels with cancel: 'ask'. */
  signal: AbortSignal;
  progress(p: P): void;
}

/** Serves one call: `run` gets the worker's input; its result goes back (with `transfer`'s buffers moved). */
export function serveWorker<I, R, P = never>(run: (input: I, ctx: WorkerTaskContext<P>) => Promise<R>, transfer?: (r: R) => ArrayBuffer[]): void {
  const port = parentPort!;
  const controller = new AbortController();
  const onMessage = (msg: ToWorker): void => {
    if (msg?.t === 'abort') controller.abort();
  };
  port.on('message', onMessage);
  const post = (m: FromWorker<R, P>, list: ArrayBuffer[] = []): void => port.postMessage(m, list);
  const ctx: WorkerTaskContext<P> = { signal: controller.signal, progress: (p) => post({ t: 'progress', p }) };
  void (async () => {
    try {
      const value = await run(workerInput<I>(), ctx);
      post({ t: 'result', value }, transfer?.(value) ?? []);
    } catch (err) {
      post({ t: 'error', error: toWorkerError(err) });
    } finally {
      port.off('message', onMessage); // lets the worker exit
    }
  })();
}
