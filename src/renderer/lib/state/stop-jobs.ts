// Opening, creating or closing a project, and starting another heavy job (train, audit, import), is
// refused while a job the user started runs (BUSY naming the job). Instead of a dead end ("cancel it first", with the job's Cancel button elsewhere), the
// app asks whether to stop that job and go on, as a desktop app asks before closing a document.
import { call, toApiError } from '../api.js';
import { jobLabel, stopJobQuestion } from '../../../shared/job-text.js';
import type { JobKind } from '../../../shared/types.js';
import { dialogs } from './dialogs.svelte.js';
import { jobs } from './jobs.svelte.js';
import { toasts } from './toasts.svelte.js';

/** The job a BUSY refusal names, if any. */
export function busyJob(err: unknown): { jobId: string; kind: JobKind } | null {
  const e = toApiError(err);
  const d = e.details as { jobId?: unknown; kind?: unknown } | undefined;
  return e.code === 'BUSY' && typeof d?.jobId === 'string' && typeof d.kind === 'string' ? { jobId: d.jobId, kind: d.kind as JobKind } : null;
}

/**
 * Runs `action`; when a running job is in its way, asks (`doing`: "Opening p2", `go`: "Stop and open")
 * and, if the user agrees, stops the job, waits for it to end and runs `action` again. Resolves
 * undefined when the user keeps the job; any other error is thrown as it is.
 */
export async function stoppingJobs<T>(action: () => Promise<T>, doing: string, go: string): Promise<T | undefined> {
  // A few rounds at most: two jobs may stand in the way one after the other.
  for (let round = 0; ; round++) {
    try {
      return await action();
    } catch (err) {
      const job = busyJob(err);
      if (!job || round >= 3) throw err;
      const yes = await dialogs.ask(stopJobQuestion(job.kind, doing, go));
      if (!yes) return undefined;
      toasts.push('info', `Stopping: ${jobLabel(job.kind).toLowerCase()}…`);
      await stopAndWait(job.jobId);
    }
  }
}

/** Asks the service to stop a job and waits until it no longer runs (its cancel may finish a batch). */
async function stopAndWait(jobId: string): Promise<void> {
  await jobs.cancel(jobId).catch(() => undefined); // it may have ended meanwhile
  for (let waited = 0; waited < 120_000; waited += 200) {
    if (!(await call('activeJobs', {})).some((j) => j.jobId === jobId)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
