// State of the Train view (one instance per mounted view): what it derives from the shared `runs`
// state (the job in progress, the run shown, the chosen backbone, the engine in use, the two runs
// compared) and its two commands, train and install a backbone. Lists refresh on the service's
// change events only (runs.watch()), never after the view's own commands.
import type { RunSummary } from '../../../shared/types.js';
import { trainingEngine } from '../../../shared/compute-text.js';
import { TRAIN_OPTIONS } from '../../../shared/train-options.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { jobs } from '../../lib/state/jobs.svelte.js';
import { project } from '../../lib/state/project.svelte.js';
import { runs } from '../../lib/state/runs.svelte.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';
import { ApiError, toApiError } from '../../lib/api.js';
import { RunExport } from './export.svelte.js';

/** Total seconds a run spent (all its timed phases). */
export const runSeconds = (r: RunSummary): number => Object.values(r.timings ?? {}).reduce((a, b) => a + b, 0);

/** Badge class of a run status. */
export const statusBadge = (status: RunSummary['status']): string => (status === 'finished' ? 'ok' : status === 'failed' ? 'danger' : 'warn');

/** What the chart card says about the run it shows, in plain words, and its empty-chart text. */
export function runState(run: RunSummary | undefined, training: boolean): { text: string | null; tone: string; empty: string } {
  if (training) return { text: null, tone: '', empty: 'Waiting for the first epoch…' };
  if (!run) return { text: null, tone: '', empty: 'No runs yet' };
  const of = `${run.epochs.length} of ${run.options.epochs} epochs`;
  switch (run.status) {
    case 'running':
      return { text: `Run #${run.id} is training in another window or on the command line; its results show here when it ends.`, tone: 'warn', empty: 'Its epochs show here when it ends.' };
    case 'cancelled':
      return {
        text: `Cancelled after ${of}. The chart shows the epochs it finished; no model was saved, so it has no test accuracy.`,
        tone: 'warn',
        empty: 'Cancelled before its first epoch ended.',
      };
    case 'failed':
      return { text: `Failed after ${of}: ${run.error ?? 'no reason was recorded.'}`, tone: 'error', empty: 'Failed before its first epoch ended.' };
    default:
      return { text: null, tone: '', empty: 'No epochs recorded.' };
  }
}

/** A refused `train` request in plain words: the options' own messages, without request and field paths. */
export function plainTrainError(err: unknown): ApiError {
  const e = toApiError(err);
  const issues = (e.details as { issues?: unknown } | undefined)?.issues;
  if (e.code !== 'BAD_ARGUMENTS' || !Array.isArray(issues)) return e;
  const words = issues.map((i) => String(i).replace(/^(train: )?(options\.)?\w+: /, '')).join(' ');
  return new ApiError(e.code, words, e.details);
}

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
  /** The chosen backbone's feature engine: measured, remembered, or why not yet (engine-choice.ts). */
  readonly featureChoice = $derived(runs.backends?.featureChoices?.find((f) => f.backbone === runs.options?.backbone));
  readonly trainCount = $derived(project.info?.triplets.train ?? 0);
  readonly compared = $derived(runs.compare.map((id) => runs.list.find((r) => r.id === id)).filter((r): r is RunSummary => !!r));
  readonly canTrain = $derived(!runs.jobId && !!runs.options && !!this.chosen?.installed && this.trainCount > 0 && runs.optionProblems === 0);
  /** The engine in words: "WebAssembly" (not "wasm WASM"), and where it computes (GPU or CPU). */
  // The measured training choice when there is one: onnxruntime trains while tfjs (`used`) evaluates.
  readonly engineName = $derived(runs.backends ? trainingEngine(runs.backends) : undefined);
  readonly engineLabel = $derived(TRAIN_OPTIONS.backend.choices.find((c) => c.value === this.engineName)?.label ?? this.engineName ?? '');
  readonly engineWhere = $derived(this.used ? (this.used.kind === 'GPU' ? 'GPU' : 'CPU') : null);

  /** The Export dialog of a finished run, while open. */
  exporting = $state<RunExport | null>(null);

  openExport(run: RunSummary): void {
    if (run.status !== 'finished' || !project.info) return;
    this.exporting = new RunExport(run, project.info.dir);
  }

  /** File › Export Model…: the latest finished run's Export dialog, or why there is none. */
  exportLatest(): void {
    if (this.latest) this.openExport(this.latest);
    else toasts.push('info', 'Nothing to export yet', 'Export needs a finished run: press Train first.');
  }

  /** Closes the dialog; an export still running goes on and reports its end as a message. */
  closeExport(): void {
    if (this.exporting) this.exporting.closed = true;
    this.exporting = null;
  }

  /** Starts a run; its end message (finished, cancelled, failed) comes from the runs state, also after a reload. */
  async train(): Promise<void> {
    try {
      await runs.train();
    } catch (err) {
      toasts.error(plainTrainError(err), 'Could not start training');
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
