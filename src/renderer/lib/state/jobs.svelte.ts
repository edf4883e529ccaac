// Long-running jobs (image import, training, ...): live progress from job:* events, a promise per job
// that settles when it ends, and cancel.
import type { ActiveJob, JobKind, JobProgress } from '../../../shared/types.js';
import type { Events } from '../../../shared/ipc.js';
import { api, ApiError, call, toApiError } from '../api.js';

type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiError; cancelled: boolean };

class Jobs {
  /** Jobs still running, by id. */
  active = $state<Record<string, JobProgress>>({});
  private waiters = new Map<string, (o: Outcome) => void>();
  /** Outcomes that arrived before anyone waited (a fast job can end before its request returns). */
  private early = new Map<string, Outcome>();
  private listeners = new Set<(p: JobProgress) => void>();

  constructor() {
    api.on('job:progress', (p) => this.progress(p));
    api.on('job:done', (e) => this.finish(e.jobId, { ok: true, result: e.result }));
    api.on('job:failed', (e: Events['job:failed']) =>
      this.finish(e.jobId, { ok: false, error: toApiError(e.error), cancelled: e.cancelled }),
    );
  }

  private progress(p: JobProgress): void {
    if (this.early.has(p.jobId)) return;
    this.active = { ...this.active, [p.jobId]: p };
    for (const l of this.listeners) l(p);
  }

  private finish(jobId: string, o: Outcome): void {
    const { [jobId]: _gone, ...rest } = this.active;
    this.active = rest;
    const w = this.waiters.get(jobId);
    if (w) {
      this.waiters.delete(jobId);
      w(o);
    } else this.early.set(jobId, o);
  }

  /** Registers a just-started job (so its bar shows at once) and resolves with its result. */
  track(jobId: string, kind: JobKind): Promise<Outcome> {
    const done = this.early.get(jobId);
    if (done) {
      this.early.delete(jobId);
      return Promise.resolve(done);
    }
    if (!this.active[jobId]) this.active = { ...this.active, [jobId]: { jobId, kind, phase: 'starting', done: 0, total: 0 } };
    return new Promise((resolve) => this.waiters.set(jobId, resolve));
  }

  /** Like track, but resolves with the job's result and rejects with its error (or cancellation). */
  async result(jobId: string, kind: JobKind): Promise<unknown> {
    const o = await this.track(jobId, kind);
    if (!o.ok) throw o.error;
    return o.result;
  }

  /** First running job of a kind, for the progress bar of the view that started it. */
  ofKind(kind: JobKind): JobProgress | undefined {
    return Object.values(this.active).find((j) => j.kind === kind);
  }

  onProgress(l: (p: JobProgress) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /**
   * After a reload or reconnect: the service's running jobs become this tab's again (their bars
   * show at once); jobs this tab waited for that ended while it was away settle as DISCONNECTED
   * (their result is in the lists, which reload).
   */
  async reattach(): Promise<ActiveJob[]> {
    const list = await call('activeJobs', {});
    const running = new Set(list.map((j) => j.jobId));
    for (const [jobId, settle] of [...this.waiters]) {
      if (running.has(jobId)) continue;
      this.waiters.delete(jobId);
      settle({ ok: false, error: new ApiError('DISCONNECTED', 'The job ended while this tab was not connected.'), cancelled: false });
    }
    const active: Record<string, JobProgress> = {};
    for (const j of list) active[j.jobId] = j.progress ?? { jobId: j.jobId, kind: j.kind, phase: 'starting', done: 0, total: 0 };
    this.active = active;
    return list;
  }

  async cancel(jobId: string): Promise<void> {
    await call('cancelJob', { jobId });
  }
}

export const jobs = new Jobs();
