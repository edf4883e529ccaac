// Long-running jobs (image import, training, …): started in the background, reported through
// job:progress (at most 10 per second, with an ETA), job:done and job:failed events, cancellable.
// At most one heavy job runs at a time, so two trainings cannot fight over the two cores or the store.
import { randomUUID } from 'node:crypto';
import { AppError, toIpcError } from '../../shared/errors.js';
import type { Events } from '../../shared/ipc.js';
import type { JobKind } from '../../shared/types.js';
import { etaEstimator, isAbortError, throwIfAborted, type Progress } from './eta.js';

export interface JobContext {
  signal: AbortSignal;
  progress(p: Progress): void;
}

export type JobEmit = <E extends 'job:progress' | 'job:done' | 'job:failed'>(event: E, payload: Events[E]) => void;

interface Job {
  id: string;
  kind: JobKind;
  heavy: boolean;
  controller: AbortController;
  promise: Promise<unknown>;
}

/** Minimum time between two progress events of one job. */
export const PROGRESS_INTERVAL_MS = 100;

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  constructor(private readonly emit: JobEmit) {}

  /** Starts `run` in the background and returns its id at once; BUSY if a heavy job is running. */
  start<T>(kind: JobKind, run: (ctx: JobContext) => Promise<T>, opts: { heavy?: boolean; onDone?: (result: T) => void } = {}): string {
    const heavy = opts.heavy ?? true;
    const running = [...this.jobs.values()].find((j) => j.heavy);
    if (heavy && running) {
      throw new AppError('BUSY', `Another job is running (${running.kind}); wait for it or cancel it first.`, { jobId: running.id, kind: running.kind });
    }
    const id = randomUUID();
    const controller = new AbortController();
    const progress = this.throttledProgress(id, kind);
    const ctx: JobContext = { signal: controller.signal, progress: progress.report };
    const promise = (async () => {
      try {
        // A tick first, so the caller has the job id before any event mentions it.
        await new Promise((r) => setImmediate(r));
        throwIfAborted(controller.signal);
        const result = await run(ctx);
        progress.stop();
        this.jobs.delete(id);
        opts.onDone?.(result);
        this.emit('job:done', { jobId: id, kind, result });
        return result;
      } catch (err) {
        progress.stop();
        this.jobs.delete(id);
        const cancelled = controller.signal.aborted || isAbortError(err);
        this.emit('job:failed', { jobId: id, kind, error: cancelled ? { code: 'CANCELLED', message: 'Cancelled.' } : toIpcError(err), cancelled });
        throw err;
      }
    })();
    promise.catch(() => undefined); // reported through job:failed
    this.jobs.set(id, { id, kind, heavy, controller, promise });
    return id;
  }

  /** Asks a job to stop; false when no such job is running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.controller.abort();
  }

  /** Running jobs. */
  running(): { jobId: string; kind: JobKind }[] {
    return [...this.jobs.values()].map((j) => ({ jobId: j.id, kind: j.kind }));
  }

  /** Settles when the job ends (resolves with its result or rejects with its error). */
  wait(jobId: string): Promise<unknown> {
    return this.jobs.get(jobId)?.promise ?? Promise.resolve(undefined);
  }

  /** Settles when every running job has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.promise));
  }

  /** At most one event per interval; the latest report in between is sent when the interval ends. */
  private throttledProgress(jobId: string, kind: JobKind): { report: (p: Progress) => void; stop: () => void } {
    const eta = etaEstimator();
    let last = -Infinity;
    let pending: Progress | null = null;
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const send = (p: Progress) => {
      last = performance.now();
      this.emit('job:progress', { jobId, kind, ...p });
    };
    return {
      report: (p) => {
        if (stopped) return;
        const withEta = { ...p, eta: p.eta ?? eta(p.phase, p.done, p.total) };
        // A pending closing report goes out before anything replaces it (the chart needs every epoch).
        if (pending?.keep) {
          if (timer) clearTimeout(timer);
          timer = null;
          send(pending);
          pending = null;
        }
        const wait = last + PROGRESS_INTERVAL_MS - performance.now();
        if (wait <= 0) {
          if (timer) clearTimeout(timer);
          timer = null;
          pending = null;
          return send(withEta);
        }
        pending = withEta;
        timer ??= setTimeout(() => {
          timer = null;
          if (pending && !stopped) send(pending);
          pending = null;
        }, Math.ceil(wait) + 1);
      },
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        if (pending?.keep) send(pending); // the last epoch's closing report, before job:done
        pending = null;
      },
    };
  }
}
