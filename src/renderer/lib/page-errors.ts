// Errors the page did not catch (a bug in the renderer) would otherwise vanish into a console nobody
// opens: each goes to the main side's diagnostics log with its stack, and the user is told once that
// something went wrong and where the details are. Failed requests are not reported again: the main
// side logged theirs if they were unexpected, and their rejection reaches the code that made them.

/** At most this many reports per page load: a failing animation frame must not flood the log. */
export const MAX_REPORTS = 10;

export interface PageErrorReport {
  where: 'error' | 'unhandled rejection';
  message: string;
  stack?: string;
}

/** Benign browser noise, not a bug of ours. */
const IGNORED = [/ResizeObserver loop/i];

/** The report for an uncaught error or rejection reason; null when it is not ours to report. */
export function pageErrorReport(where: PageErrorReport['where'], reason: unknown): PageErrorReport | null {
  // A request's error (ApiError, or the plain object Electron's preload rejects with) is the main side's.
  // Only a plain object counts as the latter: a DOMException also has a `code` and is the page's own.
  if (reason && typeof reason === 'object' && ((reason as Error).name === 'ApiError' || (!(reason instanceof Error) && 'code' in reason && 'message' in reason))) return null;
  const message = (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)).slice(0, 2000);
  if (IGNORED.some((re) => re.test(message))) return null;
  const stack = reason instanceof Error && reason.stack ? reason.stack.slice(0, 8000) : undefined;
  return { where, message, ...(stack ? { stack } : {}) };
}

/**
 * Listens for uncaught errors and rejections on `target` (the window); `send` delivers a report,
 * `notify` tells the user (called for the first report only). Returns the remover.
 */
export function watchPageErrors(target: Window, send: (r: PageErrorReport) => Promise<unknown>, notify: () => void): () => void {
  let sent = 0;
  const report = (where: PageErrorReport['where'], reason: unknown) => {
    const r = pageErrorReport(where, reason);
    if (!r || sent >= MAX_REPORTS) return;
    if (sent++ === 0) notify();
    send(r).catch(() => undefined); // disconnected: the console still has it
  };
  const onError = (e: ErrorEvent) => report('error', e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => report('unhandled rejection', e.reason);
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
