// Remaining-time estimate from the average rate since the first progress report.
import type { JobProgress } from '../../shared/types.js';

/** A job's progress before the job manager adds its id and kind. */
export type Progress = Omit<JobProgress, 'jobId' | 'kind'>;

export type ProgressFn = (p: Progress) => void;

/** Returns a function giving the ETA in seconds for `done` of `total` (restarts when the phase changes). */
export function etaEstimator(now: () => number = () => performance.now()): (phase: string, done: number, total: number) => number | undefined {
  let phase = '';
  let start = 0;
  let startDone = 0;
  return (p, done, total) => {
    if (p !== phase) {
      phase = p;
      start = now();
      startDone = done;
      return undefined;
    }
    const elapsed = (now() - start) / 1000;
    const progressed = done - startDone;
    if (total <= 0 || progressed <= 0 || elapsed < 0.2) return undefined;
    return Math.max(0, ((total - done) * elapsed) / progressed);
  };
}

/** Throws the standard AbortError when the signal is aborted (what fetch and timers throw too). */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

export function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError') as unknown as Error;
}

export function isAbortError(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Error).name === 'AbortError';
}
