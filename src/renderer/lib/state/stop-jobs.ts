// Opening, creating or closing a project, and starting another heavy job (train, audit, import), is
// refused while a job the user started runs (BUSY naming the job). Instead of a dead end ("cancel it first", with the job's Cancel button elsewhere), the
// app asks whether to stop that job and go on, as a desktop app asks before closing a document.
import { call, toApiError } from '../api.js';
import type { JobKind } from '../../../shared/types.js';
import { dialogs } from './dialogs.svelte.js';
import { jobLabel, jobs } from './jobs.svelte.js';
import { toasts } from './toasts.svelte.js';

/** What stopping each kind of job keeps (the rest is lost and can be started again). */
const KEPT: Partial<Record<JobKind, string>> = {
  train: 'The run keeps the epochs it has finished.',
  embed: 'The features computed so far stay cached.',
  'import-images': 'The images imported so far stay in the project; importing the folder again finishes it.',
};

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
      const label = jobLabel(job.kind);
      const yes = await dialogs.ask({
        title: `${label} is still running`,
        text: `${doing} stops it first. ${KEPT[job.kind] ?? 'What it has not finished is lost; you can start it again later.'}`,
        confirm: go,
        cancel: `Keep ${label.toLowerCase()}`,
      });
      if (!yes) return undefined;
      toasts.push('info', `Stopping: ${label.toLowerCase()}…`);
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
