// Training again with a run's options on the labels as they are now ("Retrain with my fixes" in
// Review, "Train again" after a batch of suggestions), then scoring the old run on the same labels,
// so the change shown is like for like.
import type { EvaluateResult, RunSummary } from '../../../shared/types.js';
import { call, toApiError } from '../api.js';
import { formatPercent, shownChange } from '../format.js';
import { jobs } from './jobs.svelte.js';
import { runs } from './runs.svelte.js';
import { stoppingJobs } from './stop-jobs.js';
import { toasts } from './toasts.svelte.js';

export interface RetrainOutcome {
  before: RunSummary;
  after: RunSummary;
  /** The old run re-scored on the current test labels (the ones the new run was scored on). */
  beforeNow: EvaluateResult;
}

/** One short summary of a run's options: what differs between runs people compare. */
export function optionsSummary(r: RunSummary): string {
  const o = r.options;
  const parts = [o.backbone.replace(/_224$/, ''), o.distance, `${o.epochs} epochs`];
  if (o.seed !== undefined) parts.push(`seed ${o.seed}`);
  if (o.ensemble && o.ensemble > 1) parts.push(`ensemble ${o.ensemble}`);
  return parts.join(', ');
}

export class Retrain {
  jobId = $state<string | null>(null);
  outcome = $state.raw<RetrainOutcome | null>(null);
  /** The new run's test accuracy minus the old run's on the same labels (null without test triplets). */
  readonly delta = $derived.by(() => {
    const after = this.outcome?.after.testAccuracy;
    const before = this.outcome?.beforeNow.accuracy;
    return after != null && before != null ? shownChange(after, before) : null;
  });

  get job() {
    return this.jobId ? jobs.active[this.jobId] : undefined;
  }

  /** Starts the run; resolves when it has finished and both runs are scored (rejects on failure/cancel). */
  async start(run: RunSummary): Promise<void> {
    const started = await stoppingJobs(() => call('train', { options: run.options }), 'Training again', 'Stop and train');
    if (!started) return; // the user kept the job that was running: the last outcome stays shown
    this.outcome = null;
    const { jobId } = started;
    this.jobId = jobId;
    runs.showStarted(jobId, run.options);
    try {
      const after = (await jobs.result(jobId, 'train')) as RunSummary;
      runs.startedEnded(jobId);
      let beforeNow: EvaluateResult;
      try {
        beforeNow = await call('evaluate', { runId: run.id });
      } catch (err) {
        // The run it was to be compared with was deleted meanwhile: the new run finished all the same.
        if (toApiError(err).code !== 'NOT_FOUND') throw err;
        toasts.push('info', `Run #${after.id} finished`, `Run #${run.id} was deleted while it trained, so there is nothing to compare it with. Test accuracy: ${formatPercent(after.testAccuracy)}.`);
        return;
      }
      this.outcome = { before: run, after, beforeNow };
    } finally {
      runs.startedEnded(jobId);
      this.jobId = null;
    }
  }
}

/** Review's retraining (the Suggest view has its own: each view shows only its own outcome). */
export const retrain = new Retrain();
