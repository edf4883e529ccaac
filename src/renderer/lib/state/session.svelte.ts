// A session that survives: after a load, reload or reconnect the tab takes up what the service is
// doing — the project it reopened (or why it could not), the running jobs (a training run's chart,
// progress, options and end message) and the view this tab showed.
import { api, call, transport } from '../api.js';
import { serviceCrashNotice } from '../service-crash.js';
import { jobs } from './jobs.svelte.js';
import { nav } from './nav.svelte.js';
import { project } from './project.svelte.js';
import { runs } from './runs.svelte.js';
import { toasts } from './toasts.svelte.js';

const NOTICE_KEY = 'triplet-studio.reopen-notice';

/** Shows the service's "could not reopen" sentence once per tab. */
function showReopenNotice(notice: string | null): void {
  if (!notice) return;
  try {
    if (sessionStorage.getItem(NOTICE_KEY) === notice) return;
    sessionStorage.setItem(NOTICE_KEY, notice);
  } catch {
    // storage disabled: show it every load
  }
  toasts.push('error', 'Could not reopen the last project', notice, 15_000);
}

/** Running jobs become this tab's again; a training run fills the Train view. */
async function reattachJobs(): Promise<boolean> {
  const active = await jobs.reattach();
  for (const j of active) runs.attach(j);
  return active.some((j) => j.kind === 'train');
}

/** After the first load: reopen notice, running jobs, and the view this tab showed before a reload. */
export async function restoreSession(): Promise<void> {
  const [notice, training] = await Promise.all([call('reopenNotice', {}), reattachJobs()]);
  showReopenNotice(notice);
  if (!project.info) return;
  const view = nav.saved() ?? (training ? 'train' : null);
  if (view) nav.go(view);
}

/** The socket is back (the server restarted or the network returned): everything may be stale. */
export function followReconnects(): void {
  if (!transport) return;
  transport.onReconnect = () => {
    transport?.emitLocal('project:changed', { what: 'project' });
    void project.load().catch((err) => toasts.error(err));
    void reattachJobs().catch((err) => toasts.error(err));
  };
}

/** The desktop app's service process died and was restarted: said once; its jobs' bars go (the main side failed them). */
export function followServiceCrashes(): () => void {
  return api.on('service:crashed', (e) => {
    const n = serviceCrashNotice(e, project.info !== null);
    toasts.push('error', n.title, n.text, 20_000);
    if (e.restarted) void reattachJobs().catch((err) => toasts.error(err));
  });
}
