// Long-running jobs (image import, training, …): started in the background, reported through
// job:progress (at most 10 per second, with an ETA), job:done and job:failed events, cancellable.
// At most one heavy job runs at a time, so two trainings cannot fight over the two cores or the store.
// A job the app started on its own (features for the similarity search) yields to one the user asks
// for: it is cancelled (its finished batches kept) and the new job starts once it has stopped.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { Events } from '../../shared/ipc.js';
import type { ActiveJob, JobKind, JobProgress } from '../../shared/types.js';
import { reportedError, type ErrorLog } from '../util/diagnostics-log.js';
import { isAbortError } from './abort.js';
import { progressReporter, type Progress } from './progress.js';

export interface JobContext {
  signal: AbortSignal;
  progress(p: Progress): void;
}

export type JobEmit = <E extends 'job:progress' | 'job:done' | 'job:failed'>(event: E, payload: Events[E]) => void;

interface Job {
  id: string;
  kind: JobKind;
  heavy: boolean;
  /** Started by the app, not the user: a heavy job the user starts cancels it instead of meeting BUSY. */
  yields: boolean;
  controller: AbortController;
  promise: Promise<unknown>;
  /** What a reattaching client needs (activeJobs): the last report and every epoch-closing one. */
  last: JobProgress | null;
  kept: JobProgress[];
  meta?: Record<string, unknown>;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  /** `log` takes the stack of a job that failed unexpectedly (a bug, not a user's mistake). */
  constructor(
    private readonly emit: JobEmit,
    private readonly log?: ErrorLog,
  ) {}

  /** Starts `run` in the background and returns its id at once; BUSY if a heavy job is running. */
  start<T>(
    kind: JobKind,
    run: (ctx: JobContext) => Promise<T>,
    opts: { heavy?: boolean; yields?: boolean; onDone?: (result: T) => void; meta?: Record<string, unknown> } = {},
  ): string {
    const heavy = opts.heavy ?? true;
    const heavyJobs = [...this.jobs.values()].filter((j) => j.heavy);
    const running = heavyJobs.find((j) => !j.yields || opts.yields);
    if (heavy && running) {
      throw new AppError('BUSY', `Another job is running (${running.kind}); wait for it or cancel it first.`, { jobId: running.id, kind: running.kind });
    }
    // Background jobs in the way stop first (their promises settle once their current batch is saved).
    const yielding = heavy ? heavyJobs.filter((j) => j.yields) : [];
    for (const j of yielding) j.controller.abort();
    const cleared = Promise.allSettled(yielding.map((j) => j.promise));
    const id = randomUUID();
    const controller = new AbortController();
    // Throttling and ETA come from the one progress reporter (progress.ts).
    const progress = progressReporter((p) => {
      const report: JobProgress = { jobId: id, kind, ...p };
      const job = this.jobs.get(id);
      if (job) {
        job.last = report;
        if (report.keep) job.kept.push(report);
      }
      this.emit('job:progress', report);
    });
    const ctx: JobContext = { signal: controller.signal, progress: progress.report };
    const promise = (async () => {
      try {
        // A tick first, so the caller has the job id before any event mentions it.
        await new Promise((r) => setImmediate(r));
        await cleared;
        controller.signal.throwIfAborted();
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
        this.emit('job:failed', { jobId: id, kind, error: cancelled ? { code: 'CANCELLED', message: 'Cancelled.' } : reportedError(err, `job ${kind}`, this.log), cancelled });
        throw err;
      }
    })();
    promise.catch(() => undefined); // reported through job:failed
    this.jobs.set(id, { id, kind, heavy, yields: opts.yields ?? false, controller, promise, last: null, kept: [], meta: opts.meta });
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
  running(): { jobId: string; kind: JobKind; meta: Record<string, unknown> }[] {
    return [...this.jobs.values()].map((j) => ({ jobId: j.id, kind: j.kind, meta: j.meta ?? {} }));
  }

  /**
   * Asks the jobs the app started on its own (yields) to stop, and returns the jobs the user started,
   * which keep running: what stands in the way of closing the project.
   */
  stopYielding(): { jobId: string; kind: JobKind }[] {
    for (const j of this.jobs.values()) if (j.yields) j.controller.abort();
    return [...this.jobs.values()].filter((j) => !j.yields).map((j) => ({ jobId: j.id, kind: j.kind }));
  }

  /** Running jobs with what a client needs to show them again after a reload or reconnect. */
  active(): ActiveJob[] {
    return [...this.jobs.values()].map((j) => ({ jobId: j.id, kind: j.kind, progress: j.last, kept: [...j.kept], meta: j.meta ?? {}, ...(j.yields ? { yields: true as const } : {}) }));
  }

  /** Adds to a running job's description (e.g. the run id once its row exists). */
  describe(jobId: string, meta: Record<string, unknown>): void {
    const job = this.jobs.get(jobId);
    if (job) job.meta = { ...job.meta, ...meta };
  }

  /** Settles when the job ends (resolves with its result or rejects with its error). */
  wait(jobId: string): Promise<unknown> {
    return this.jobs.get(jobId)?.promise ?? Promise.resolve(undefined);
  }

  /** Settles when every running job has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.promise));
  }
}
