// Training: options (prefilled from the engine's defaults), backbones and backends, the run
// history, and the live per-epoch metrics of the run in progress.
import type { ActiveJob, BackboneInfo, BackendReport, EpochMetric, JobProgress, RunSummary, TrainOptions } from '../../../shared/types.js';
import { call } from '../api.js';
import { dialogs } from './dialogs.svelte.js';
import { jobs } from './jobs.svelte.js';
import { project } from './project.svelte.js';
import { Refresher } from './refresh.js';
import { reportRunEnd } from './run-end.js';
import { stoppingJobs } from './stop-jobs.js';
import { toasts } from './toasts.svelte.js';

export interface LivePoint {
  epoch: number;
  loss: number;
  valAccuracy?: number;
}

class Runs {
  list = $state.raw<RunSummary[]>([]);
  /** The list has been fetched at least once (an empty list then means no runs, not "not yet"). */
  loaded = $state(false);
  backbones = $state.raw<BackboneInfo[]>([]);
  backends = $state.raw<BackendReport | null>(null);
  /** The Train form: the next run's options, as the user leaves them. */
  options = $state<TrainOptions | null>(null);
  /** The running job's options (the chart's epochs and labels), whatever the form says meanwhile. */
  running = $state.raw<TrainOptions | null>(null);
  jobId = $state<string | null>(null);
  /** The form as last filled for the user (defaults, a run's options): other values are their unsaved edits. */
  private filledWith: string | null = null;
  /** Latest metrics per epoch of the running job (the last report of an epoch wins). */
  live = $state.raw<LivePoint[]>([]);
  compare = $state<number[]>([]);
  /** Option fields whose text the form refuses (Train waits until they are fixed). */
  optionProblems = $state(0);

  /**
   * The run list follows `runs` change events (a run finished, failed or was added elsewhere) and
   * `triplets` ones (each run's score on today's test labels follows label edits).
   */
  private readonly listRefresher = new Refresher(['runs', 'triplets'], () => this.loadRuns());
  /** Backbones and backends follow `backbones` change events (weights installed here or elsewhere). */
  private readonly setupRefresher = new Refresher(['backbones'], () => this.loadSetup());

  constructor() {
    jobs.onProgress((p) => this.onProgress(p));
    // Another project: the last one's runs (and the two ticked to compare, whose numbers may exist
    // there too) go; the form stays, as the user's settings for the next run.
    project.onSwitch(() => {
      this.list = [];
      this.loaded = false;
      this.compare = [];
      this.listRefresher.invalidate();
    });
  }

  /** The Train view is shown: load its lists now and follow their change events while it is shown. */
  watch(): () => void {
    const stopList = this.listRefresher.watch();
    const stopSetup = this.setupRefresher.watch();
    return () => (stopList(), stopSetup());
  }

  /** The training job whose run row the list has fetched (the row appears once training starts). */
  private listedJob: string | null = null;

  private onProgress(p: JobProgress): void {
    if (p.kind !== 'train' || p.jobId !== this.jobId || p.epoch == null || p.loss == null) return;
    // Its first epoch: the run's row exists now, so the list shows it running (the service says
    // 'runs' changed only when it ends).
    if (this.listedJob !== p.jobId) {
      this.listedJob = p.jobId;
      void this.loadRuns().catch(() => undefined);
    }
    const point: LivePoint = { epoch: p.epoch, loss: p.loss, valAccuracy: p.valAccuracy };
    const rest = this.live.filter((x) => x.epoch !== p.epoch);
    const prev = this.live.find((x) => x.epoch === p.epoch);
    if (point.valAccuracy == null && prev?.valAccuracy != null) point.valAccuracy = prev.valAccuracy;
    this.live = [...rest, point].sort((a, b) => a.epoch - b.epoch);
  }

  async loadSetup(): Promise<void> {
    const [backbones, backends, defaults] = await Promise.all([
      call('backbones', {}),
      call('backends', {}),
      this.options ? Promise.resolve(null) : call('defaultTrainOptions', {}),
    ]);
    this.backbones = backbones;
    this.backends = backends;
    if (defaults) this.fill(defaults);
  }

  /** Fills the form, unless the user has edited it since it was last filled (their values stay). */
  private fill(options: TrainOptions): void {
    if (this.options && JSON.stringify($state.snapshot(this.options)) !== this.filledWith) return;
    this.options = { ...options };
    this.filledWith = JSON.stringify(this.options);
  }

  async loadRuns(): Promise<void> {
    // Newest first: the chart and the summary show the latest run.
    this.list = [...(await call('runs', {}))].sort((a, b) => b.id - a.id);
    this.loaded = true;
  }

  /** Starts training; resolves when the job ends, after its message (finished, cancelled or failed) is shown. */
  async train(): Promise<void> {
    if (!this.options) return;
    this.live = [];
    const options = $state.snapshot(this.options);
    const started = await stoppingJobs(() => call('train', { options }), 'Training', 'Stop and train');
    if (!started) return;
    // The form's values are a run's now: a later run shown in it replaces them without loss.
    this.filledWith = JSON.stringify(options);
    this.running = options;
    await this.follow(started.jobId);
  }

  /**
   * A training job running in the service that this tab did not start or lost track of (a reload,
   * a reconnect): show its options (in the form too, unless the user has edited it), its epochs so
   * far and its progress, and its end message.
   */
  attach(job: ActiveJob): void {
    if (job.kind !== 'train' || this.jobId === job.jobId) return;
    const options = job.meta.options as TrainOptions | undefined;
    if (options) (this.fill(options), (this.running = options));
    this.live = job.kept.filter((p) => p.epoch != null && p.loss != null).map((p) => ({ epoch: p.epoch!, loss: p.loss!, valAccuracy: p.valAccuracy }));
    void this.follow(job.jobId);
  }

  /**
   * A run this window started outside the Train view (Review's "Retrain with my fixes", Suggest's
   * "Train again"): while it trains, the Train view shows it as its own — options (in the form only
   * when the user has not edited it: their unsaved values are never replaced), live chart,
   * progress and Cancel — not as one "in another window". Its starter says how it ended.
   */
  showStarted(jobId: string, options: TrainOptions): void {
    this.fill(options);
    this.running = options;
    this.live = [];
    this.jobId = jobId;
  }

  /** That run ended: the chart and the list show the runs as they are now. */
  startedEnded(jobId: string): void {
    if (this.jobId !== jobId) return;
    this.jobId = null;
    void this.loadRuns().catch(() => undefined);
  }

  /** Waits for a training job; then reloads the runs and says how it ended. */
  private async follow(jobId: string): Promise<void> {
    this.jobId = jobId;
    let error: unknown = null;
    try {
      await jobs.result(jobId, 'train');
    } catch (err) {
      error = err;
    } finally {
      this.jobId = null;
    }
    await this.loadRuns().catch(() => undefined);
    reportRunEnd(this.list[0], error);
  }

  /** Job installing backbone weights, while it runs. */
  fetchJobId = $state<string | null>(null);

  /** Installs a backbone (download, Keras cache, or `from` a file/folder); resolves when it is in place. */
  async fetchBackbone(id: string, from?: string): Promise<void> {
    const { jobId } = await call('fetchBackbone', from ? { id, from } : { id });
    this.fetchJobId = jobId;
    try {
      await jobs.result(jobId, 'download');
    } finally {
      // The backbone list refreshes on the `backbones` change event the service sends when it is installed.
      this.fetchJobId = null;
    }
  }

  /**
   * Deletes a run for good after asking (a model is too big for the edit history to keep, so Ctrl+Z
   * cannot bring it back); the list follows the `runs` change event. False when the user kept it.
   */
  async deleteRun(run: RunSummary): Promise<boolean> {
    const yes = await dialogs.ask({
      title: `Delete run #${run.id}?`,
      text: `Its model files, epochs and test scores are deleted for good: this cannot be undone (Ctrl+Z does not bring a run back). No other run will get number ${run.id}.`,
      confirm: `Delete run #${run.id}`,
      cancel: 'Keep it',
    });
    if (!yes) return false;
    const r = await call('deleteRuns', { ids: [run.id] });
    this.compare = this.compare.filter((id) => !r.deleted.includes(id));
    const left = r.left?.[0];
    if (left) toasts.push('info', `Run #${run.id} deleted`, `Its model folder was not removed (${left.reason}): ${left.dir}.${left.outside ? '' : ' Opening the project again tries once more.'}`, 15_000);
    else toasts.push('success', `Run #${run.id} deleted`, `${(r.bytes / 1e6).toFixed(1)} MB of model files freed.`);
    return true;
  }

  toggleCompare(id: number): void {
    if (this.compare.includes(id)) this.compare = this.compare.filter((x) => x !== id);
    else this.compare = [...this.compare, id].slice(-2);
  }

  /** Epoch metrics to chart: the live ones while training, else the latest finished run's. */
  chartEpochs(run: RunSummary | undefined): LivePoint[] {
    if (this.jobId) return this.live;
    return (run?.epochs ?? []).map((e: EpochMetric) => ({ epoch: e.epoch, loss: e.loss, valAccuracy: e.valAccuracy }));
  }
}

export const runs = new Runs();
