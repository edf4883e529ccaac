// The one progress path: producers report `{ phase, done, total }` (plus optional extras such as an
// epoch's metrics with `keep`); progressReporter adds the rate, the ETA and throttling for every consumer (the
// app's JobManager events and the CLI's progress bar alike).
import type { JobProgress } from '../../shared/types.js';

/** A job's progress before the job manager adds its id and kind. */
export type Progress = Omit<JobProgress, 'jobId' | 'kind'>;

export type ProgressFn = (p: Progress) => void;

/** Minimum time between two progress reports passed on by a reporter. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Returns a function giving the rate (items/s) and the ETA in seconds for `done` of `total`, from
 * the average rate since the phase's first report (restarts when the phase changes).
 */
export function rateEstimator(now: () => number = () => performance.now()): (phase: string, done: number, total: number) => { rate?: number; eta?: number } {
  let phase = '';
  let start = 0;
  let startDone = 0;
  return (p, done, total) => {
    if (p !== phase) {
      phase = p;
      start = now();
      startDone = done;
      return {};
    }
    const elapsed = (now() - start) / 1000;
    const progressed = done - startDone;
    if (progressed <= 0 || elapsed < 0.2) return {};
    const rate = progressed / elapsed;
    return total > 0 ? { rate, eta: Math.max(0, (total - done) / rate) } : { rate };
  };
}

/** The ETA part of rateEstimator. */
export function etaEstimator(now: () => number = () => performance.now()): (phase: string, done: number, total: number) => number | undefined {
  const est = rateEstimator(now);
  return (p, done, total) => est(p, done, total).eta;
}

export interface ProgressReporter {
  /** Takes a producer's report; passes it on with an ETA, at most once per interval. */
  report: ProgressFn;
  /**
   * Stops reporting; a pending `keep` report (an epoch's closing one) is passed on first, and with
   * `flush` any pending report (a progress bar shows where it ended).
   */
  stop(opts?: { flush?: boolean }): void;
}

/**
 * Wraps `send` with an ETA (unless the producer gave one) and throttling: at most one report per
 * `intervalMs`; the latest report in between is sent when the interval ends; a `keep` report is
 * never coalesced away (the chart needs every epoch), and the first report of a new phase or of a new step
 * (a changed `message`, such as an export's "Building the ONNX model") goes out at once. So a message
 * names a step, not an item: per-item detail (a file's name) belongs in the counts, or it would
 * undo the throttling.
 */
export function progressReporter(send: ProgressFn, intervalMs = PROGRESS_INTERVAL_MS): ProgressReporter {
  const estimate = rateEstimator();
  let last = -Infinity;
  let pending: Progress | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastPhase: string | null = null;
  let lastMessage: string | undefined;
  const emit = (p: Progress): void => {
    last = performance.now();
    lastPhase = p.phase;
    lastMessage = p.message;
    send(p);
  };
  const clearTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    report: (p) => {
      if (stopped) return;
      const est = estimate(p.phase, p.done, p.total);
      const rate = p.rate ?? est.rate;
      const withEta = { ...p, eta: p.eta ?? est.eta, ...(rate !== undefined ? { rate } : {}) };
      // A pending closing report goes out before anything replaces it.
      if (pending?.keep) {
        clearTimer();
        emit(pending);
        pending = null;
      }
      const wait = last + intervalMs - performance.now();
      // A new phase or step is shown at once: a short one (a small map's layout, an export's ONNX
      // build before a blocking write) must not be coalesced away.
      const newStep = p.phase !== lastPhase || (p.message !== undefined && p.message !== lastMessage);
      if (wait <= 0 || newStep) {
        clearTimer();
        pending = null;
        return emit(withEta);
      }
      pending = withEta;
      timer ??= setTimeout(() => {
        timer = null;
        if (pending && !stopped) emit(pending);
        pending = null;
      }, Math.ceil(wait) + 1);
    },
    stop: (opts) => {
      stopped = true;
      clearTimer();
      if (pending && (pending.keep || opts?.flush)) send(pending); // e.g. the last epoch's closing report, before job:done
      pending = null;
    },
  };
}
