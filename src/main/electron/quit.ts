// Quitting the desktop app while a job runs asks first, as the window asks before opening another
// project: the same question (shared/job-text.ts). Kept apart from main.ts so it runs in tests
// without Electron: the service and the dialog are passed in.
import { stopJobQuestion, type StopJobQuestion } from '../../shared/job-text.js';
import type { ActiveJob } from '../../shared/types.js';

/** How long the service may take to say what runs before quitting goes on without asking. */
export const ASK_SERVICE_MS = 2000;

/**
 * True when quitting may go on: nothing runs, the service cannot say in time (crashed, restarting:
 * a window that cannot be closed is worse than a job lost), or the user agrees to stop the jobs.
 */
export async function mayQuit(deps: {
  activeJobs: () => Promise<ActiveJob[]> | ActiveJob[] | undefined;
  ask: (q: StopJobQuestion) => Promise<boolean>;
  timeoutMs?: number;
}): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((r) => (timer = setTimeout(r, deps.timeoutMs ?? ASK_SERVICE_MS, undefined)));
  const all = (await Promise.race([Promise.resolve(deps.activeJobs()).catch(() => undefined), gaveUp]).finally(() => clearTimeout(timer))) ?? [];
  // A job the app started on its own gives way: quitting stops it without a question, as opening another project does.
  const running = all.filter((j) => !j.yields);
  if (!running.length) return true;
  return deps.ask(stopJobQuestion(running[0].kind, 'Quitting', 'Stop and quit', running.length - 1));
}
