// One worker-RPC helper for the feature, training and triplet-import workers (parent side):
// settle-once over one or more workers, typed messages, errors rebuilt with their AppError or
// SQLite code, early-exit handling, and cancel → terminate (or ask the worker to roll back).
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import { abortError } from '../jobs/abort.js';
import { startWorker } from './worker.js';
import type { FromWorker, ToWorker, WorkerError } from './worker-serve.js';

export type { FromWorker, ToWorker, WorkerError } from './worker-serve.js';

export interface WorkerRpcOptions {
  /** Names the worker in errors ("Training worker exited early (code 1)."). */
  name: string;
  signal?: AbortSignal;
  /**
   * What a cancel does: 'settle' (default) rejects at once with an AbortError and stops the workers;
   * 'ask' posts `{ t: 'abort' }` and waits for the worker's answer (it rolls back, then reports aborted).
   */
  cancel?: 'settle' | 'ask';
  /** How a worker is stopped once the call settles (default: terminate). */
  stop?: (w: Worker) => void;
  /** Prefix of a plain (code-less) worker error's message. */
  errorPrefix?: string;
}

/** The parent-side Error for a worker's serialized error. */
export function fromWorkerError(e: WorkerError, prefix = ''): Error {
  if (e.aborted) return abortError();
  if (e.code) return new AppError(e.code as ErrorCode, e.message, e.details);
  const err = new Error(prefix + e.message);
  // SQLite's code (SQLITE_BUSY…) travels along, so callers can say what it means.
  return e.sysCode ? Object.assign(err, { code: e.sysCode }) : err;
}

/** A settle-once call over workers: the first result, error, early exit or cancel wins. */
export class WorkerRpc<R> {
  readonly promise: Promise<R>;
  private resolveFn!: (v: R) => void;
  private rejectFn!: (e: unknown) => void;
  private readonly workers: Worker[] = [];
  private done = false;
  private readonly onAbort = (): void => {
    if (this.opts.cancel === 'ask') for (const w of this.workers) w.postMessage({ t: 'abort' } satisfies ToWorker);
    else this.reject(abortError());
  };

  constructor(private readonly opts: WorkerRpcOptions) {
    this.promise = new Promise<R>((res, rej) => {
      this.resolveFn = res;
      this.rejectFn = rej;
    });
    // Already cancelled: nothing starts, so there is nothing to roll back.
    if (opts.signal?.aborted) this.reject(abortError());
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get settled(): boolean {
    return this.done;
  }

  /**
   * Starts a worker on `entry` and routes its messages to `onMessage` until the call settles. Its
   * 'error' messages reject the call; so do a crash and an exit before the call settled.
   */
  start<M extends { t: string }>(entry: URL, data: unknown, onMessage: (msg: Exclude<M, { t: 'error' }>, w: Worker) => void, options?: Omit<WorkerOptions, 'workerData'>): Worker {
    const w = startWorker(entry, data, options);
    this.workers.push(w);
    if (this.done) this.stopOne(w);
    w.on('message', (msg: M | Extract<FromWorker<unknown, unknown>, { t: 'error' }>) => {
      if (this.done) return;
      if (msg.t === 'error') this.reject(fromWorkerError((msg as { error: WorkerError }).error, this.opts.errorPrefix));
      else onMessage(msg as Exclude<M, { t: 'error' }>, w);
    });
    w.on('error', (err) => this.reject(err));
    w.on('exit', (code) => this.reject(new Error(`${this.opts.name} exited early (code ${code}).`)));
    return w;
  }

  resolve(value: R): void {
    if (this.settle()) this.resolveFn(value);
  }

  reject(err: unknown): void {
    if (this.settle()) this.rejectFn(err);
  }

  private settle(): boolean {
    if (this.done) return false;
    this.done = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const w of this.workers) this.stopOne(w);
    return true;
  }

  private stopOne(w: Worker): void {
    if (this.opts.stop) this.opts.stop(w);
    else void w.terminate();
  }
}

export interface CallWorkerOptions<P> extends WorkerRpcOptions {
  onProgress?(p: P): void;
  workerOptions?: Omit<WorkerOptions, 'workerData'>;
}

/** Runs one worker served by serveWorker (worker-serve.ts): its result, or its error, or AbortError. */
export function callWorker<R, P = never>(entry: URL, data: unknown, opts: CallWorkerOptions<P>): Promise<R> {
  const rpc = new WorkerRpc<R>(opts);
  if (!rpc.settled) {
    rpc.start<FromWorker<R, P>>(
      entry,
      data,
      (msg) => {
        if (msg.t === 'progress') opts.onProgress?.(msg.p);
        else rpc.resolve(msg.value);
      },
      opts.workerOptions,
    );
  }
  return rpc.promise;
}
