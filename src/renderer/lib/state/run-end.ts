// The message a training run ends with, whichever tab started it (a reloaded tab that reattached to
// the job shows it too): finished with its accuracy, cancelled with the epochs it kept, or failed.
import { describeLeftOut } from '../../../shared/left-out.js';
import type { RunSummary } from '../../../shared/types.js';
import { toApiError } from '../api.js';
import { formatPercent, noTestScoreText } from '../format.js';
import { toasts } from './toasts.svelte.js';

/** `run`: the newest run after the job ended; `error`: what the job failed with (null: it finished). */
export function reportRunEnd(run: RunSummary | undefined, error: unknown): void {
  const e = error ? toApiError(error) : null;
  // The connection dropped while it ran: the run's row says how it ended.
  const status = e && e.code !== 'DISCONNECTED' ? (e.code === 'CANCELLED' ? 'cancelled' : 'failed') : run?.status;
  if (status === 'finished' && run) {
    const leftOut = describeLeftOut(run.leftOut);
    const score =
      run.testAccuracy == null
        ? noTestScoreText(run)
        : `test accuracy ${formatPercent(run.testAccuracy)} (baseline ${formatPercent(run.baselineAccuracy)})`;
    toasts.push('success', 'Training finished', `Run #${run.id}: ${score}.${leftOut ? ` ${leftOut}` : ''}`);
  } else if (status === 'cancelled') {
    const kept = run?.status === 'cancelled' ? run.epochs.length : 0;
    toasts.push('info', 'Training cancelled', `${run ? `Run #${run.id} ` : 'The run '}kept ${kept === 1 ? '1 finished epoch' : `${kept} finished epochs`}; no model was saved.`);
  } else if (e && e.code !== 'DISCONNECTED') {
    toasts.error(e, 'Training stopped');
  } else if (status === 'failed' && run) {
    toasts.push('error', 'Training stopped', run.error ?? `Run #${run.id} failed.`);
  }
}
