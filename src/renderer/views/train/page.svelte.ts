// State of the Train view (one instance per mounted view): what it derives from the shared `runs`
// state (the job in progress, the run shown, the chosen backbone, the engine in use, the two runs
// compared) and its two commands, train and install a backbone. Lists refresh on the service's
// change events only (runs.watch()), never after the view's own commands.
import type { RunSummary } from '../../../shared/types.js';
import { describeLeftOut } from '../../../shared/left-out.js';
import { formatPercent } from '../../lib/format.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { jobs } from '../../lib/state/jobs.svelte.js';
import { project } from '../../lib/state/project.svelte.js';
import { runs } from '../../lib/state/runs.svelte.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';

/** Total seconds a run spent (all its timed phases). */
export const runSeconds = (r: RunSummary): number => Object.values(r.timings ?? {}).reduce((a, b) => a + b, 0);

/** Badge class of a run status. */
export const statusBadge = (status: RunSummary['status']): string => (status === 'finished' ? 'ok' : status === 'failed' ? 'danger' : 'warn');

export class TrainPage {
  readonly job = $derived(runs.jobId ? jobs.active[runs.jobId] : jobs.ofKind('train') ?? jobs.ofKind('embed'));
  readonly fetchJob = $derived(runs.fetchJobId ? jobs.active[runs.fetchJobId] : undefined);
  /** The newest finished run: its metrics show under the chart. */
  readonly latest = $derived(runs.list.find((r) => r.status === 'finished'));
  /** The newest run, whatever its status: the chart shows it when nothing trains. */
  readonly shown = $derived(runs.list[0]);
  readonly chosen = $derived(runs.backbones.find((b) => b.id === runs.options?.backbone));
  readonly used = $derived(runs.backends?.statuses.find((s) => s.name === runs.backends?.used));
  readonly usedEngine = $derived(runs.backends?.engines?.find((e) => e.available));
  readonly trainCount = $derived(project.info?.triplets.train ?? 0);
  readonly compared = $derived(runs.compare.map((id) => runs.list.find((r) => r.id === id)).filter((r): r is RunSummary => !!r));
  readonly canTrain = $derived(!runs.jobId && !!runs.options && !!this.chosen?.installed && this.trainCount > 0);

  async train(): Promise<void> {
    try {
      await runs.train();
      const r = runs.list[0];
      if (r?.status === 'finished')
        toasts.push('success', 'Training finished', `Test accuracy ${formatPercent(r.testAccuracy)} (baseline ${formatPercent(r.baselineAccuracy)}).${describeLeftOut(r.leftOut) ? ` ${describeLeftOut(r.leftOut)}` : ''}`);
    } catch (err) {
      toasts.error(err, 'Training stopped');
    }
  }

  /** Installs the chosen backbone: from a file or folder the user picks, or (no `pick`) by download. */
  async installBackbone(id: string, label: string, pick: boolean): Promise<void> {
    let from: string | undefined;
    if (pick) {
      const picked = id === 'resnet50'
        ? await attempt(() => dialogs.file(`Keras ResNet50 weights (.h5) for ${label}`))
        : await attempt(() => dialogs.folder(`TensorFlow.js layers folder for ${label}`, 'Folder with model.json'));
      if (!picked) return;
      from = picked;
    }
    try {
      await runs.fetchBackbone(id, from);
      toasts.push('success', 'Backbone installed', `${label} is ready.`);
    } catch (err) {
      toasts.error(err, `Could not install ${label}`);
    }
  }
}
