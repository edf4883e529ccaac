// The desktop app's service process died (a crash of native code, memory): the main side reported
// every job it ran as failed and started a new one. The window says so once, in words a user can act on.
import type { Events } from '../../shared/ipc.js';

/** The toast for a `service:crashed` event; `hadProject`: a project was open in this window when it came. */
export function serviceCrashNotice(e: Events['service:crashed'], hadProject = false): { title: string; text: string } {
  if (!e.restarted) {
    return {
      title: 'Triplet Studio stopped working',
      text: `Its work process stopped (${e.reason}) again and again, so it was not restarted: quit and start Triplet Studio again. Your labels are safe: every change was saved when it was made.`,
    };
  }
  const project = e.reopened ? ` ${e.reopened} is open again.` : hadProject ? ' The project could not be opened again: open it from Projects.' : '';
  return {
    title: 'Triplet Studio recovered from a crash',
    text: `Its work process stopped (${e.reason}) and was restarted.${project} Jobs it was running stopped (start them again); every change made before was saved.`,
  };
}
