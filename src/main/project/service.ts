// The app's main-side API: one open project at a time, long requests as jobs, recent projects.
// Hosts (Electron IPC, the browser-mode server) validate arguments with REQUESTS and call these methods.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, knownError } from '../../shared/errors.js';
import type { EventName, Events, Replies, ServiceArgs, StudioServiceApi } from '../../shared/ipc.js';
import type { HistoryEntry } from '../../shared/types.js';
import { isImageRemoval } from '../images/remove.js';
import { JobManager } from '../jobs/manager.js';
import { backboneSpec, defaultTrainOptions, initBackend, listBackbones } from '../ml/index.js';
import { cannotWriteText, onFolderUnwritable, WRITABLE_AGAIN_HINT, type WriteProblem } from '../store/check.js';
import { watchExternalChanges, type ExternalWatch } from '../store/watch.js';
import { isProjectDir, Project } from './project.js';
import { resolveTrainOptions } from './runs.js';
import { pathInfoOf, reopenMostRecent } from './session.js';
import { Uploads } from './uploads.js';
import { trimAuditReport } from './audit.js';
import { workersExited } from '../util/worker.js';
import { DiagnosticsLog } from '../util/diagnostics-log.js';
import { makeDirs } from '../util/make-dirs.js';

export interface StudioServiceInit {
  dataDir: string;
  emit: <E extends EventName>(e: E, payload: Events[E]) => void;
}

export const MAX_RECENT = 10;

export class StudioService implements StudioServiceApi {
  private project: Project | null = null;
  /** Why no project is open when the app closed it itself (its folder moved); null otherwise. */
  private closedWhy: string | null = null;
  private readonly stopUnwritable: () => void;
  /** Stops polling the open project for changes made by other processes. */
  private stopWatch: ExternalWatch | null = null;
  private readonly dataDir: string;
  private readonly emit: StudioServiceInit['emit'];
  readonly jobs: JobManager;
  /** Where unexpected errors leave their stacks (<data>/logs/). */
  readonly log: DiagnosticsLog;

  constructor(init: StudioServiceInit) {
    this.dataDir = init.dataDir;
    this.emit = init.emit;
    this.log = new DiagnosticsLog(init.dataDir, 'service');
    this.jobs = new JobManager((e, p) => this.emit(e, p), this.log);
    // A write found the open project's folder no longer taking writes: reopened read-only once the
    // failing call has unwound (its own error says what was not saved).
    this.stopUnwritable = onFolderUnwritable((dir, problem) =>
      queueMicrotask(() => {
        if (this.project?.dir === dir && !this.project.readOnly) this.reopenReadOnly(this.project, problem);
      }),
    );
  }

  // ---------- Projects ----------

  createProject({ dir }: ServiceArgs<'createProject'>): Replies['createProject'] {
    Project.assertCreatable(dir); // a wrong folder is said before any job is stopped for it
    this.assertIdle('create a project');
    const project = Project.init(dir);
    this.switchTo(project);
    return project.info();
  }

  openProject({ dir }: ServiceArgs<'openProject'>): Replies['openProject'] {
    const abs = Project.assertOpenable(dir); // a wrong folder is said before any job is stopped for it
    // The project already open (its recent entry clicked) while a job runs: no reason to stop the job.
    if (this.project?.dir === abs && this.jobs.running().length && this.project.inPlace()) return this.project.info();
    this.assertIdle('open another project');
    const project = Project.open(dir);
    this.switchTo(project);
    return project.info();
  }

  closeProject(): null {
    this.assertIdle('close the project');
    this.unwatch();
    this.project?.close();
    this.project = null;
    this.closedWhy = null;
    this.emit('project:changed', { what: 'project' });
    return null;
  }

  /** Most recent first; folders that are no longer projects are left out. */
  recentProjects(): string[] {
    return this.readRecent().filter((d) => isProjectDir(d));
  }

  projectInfo(): Replies['projectInfo'] {
    // Through current(): a folder moved since the last request is closed and said (the app asks on focus).
    return this.project ? this.current().info() : null;
  }

  // ---------- Library ----------

  importImages({ folder }: ServiceArgs<'importImages'>): Replies['importImages'] {
    const project = this.current();
    const jobId = this.jobs.start(
      'import-images',
      (ctx) => project.importImages(folder, { signal: ctx.signal, onProgress: ctx.progress }),
      { onDone: () => this.changed('images') },
    );
    // A cancelled or failed import keeps the batches it committed: the lists must show them too.
    this.jobs.wait(jobId).catch(() => this.changed('images'));
    return { jobId };
  }

  listImages(args: ServiceArgs<'listImages'>): Replies['listImages'] {
    return this.current().listImages(args);
  }

  listFolders(): Replies['listFolders'] {
    return this.current().listFolders();
  }

  missingImages(): Promise<Replies['missingImages']> {
    return this.current().missingImages();
  }

  getImage({ id }: ServiceArgs<'getImage'>): Replies['getImage'] {
    return this.current().getImage(id);
  }

  removeImages({ selection, dryRun }: ServiceArgs<'removeImages'>): Replies['removeImages'] {
    const r = this.current().removeImages(selection, { dryRun });
    if (!dryRun && r.removed) this.changedImagesAndHistory();
    return r;
  }

  // ---------- Triplets ----------

  /**
   * Runs as a job (progress in bytes, cancellable with cancelJob) and replies when it ends. One at a
   * time: each holds the store's write lock for its whole file.
   */
  async importTriplets({ file, split, skipInvalid, allowLeakage }: ServiceArgs<'importTriplets'>): Promise<Replies['importTriplets']> {
    const project = this.current();
    if (this.jobs.running().some((j) => j.kind === 'import-triplets')) {
      throw new AppError('BUSY', 'Another triplet file is being imported; wait for it or cancel it first.');
    }
    const jobId = this.jobs.start(
      'import-triplets',
      (ctx) => project.importTriplets(file, split, { skipInvalid, allowLeakage }, { signal: ctx.signal, onProgress: ctx.progress }),
      { heavy: false, onDone: () => this.changedThroughWorker('triplets') },
    );
    return (await this.jobs.wait(jobId)) as Replies['importTriplets'];
  }

  exportTriplets({ file, split }: ServiceArgs<'exportTriplets'>): Replies['exportTriplets'] {
    return this.current().exportTriplets(split, file);
  }

  listTriplets(args: ServiceArgs<'listTriplets'>): Replies['listTriplets'] {
    return this.current().listTriplets(args);
  }

  createTriplet(args: ServiceArgs<'createTriplet'>): Replies['createTriplet'] {
    const t = this.current().createTriplet(args);
    this.changed('triplets');
    return t;
  }

  editTriplet({ id, edit }: ServiceArgs<'editTriplet'>): Replies['editTriplet'] {
    const t = this.current().editTriplet(id, edit);
    this.changed('triplets');
    return t;
  }

  clearTripletFlags({ ids }: ServiceArgs<'clearTripletFlags'>): Replies['clearTripletFlags'] {
    const n = this.current().clearTripletFlags(ids);
    if (n) this.changed('triplets');
    return n;
  }

  history(args: ServiceArgs<'history'>): Replies['history'] {
    return this.current().history(args);
  }

  /** The app's Ctrl+Z: a step made from the command line is undone only once the user said yes to it (`confirmed`: its id). */
  undo({ confirmed }: ServiceArgs<'undo'>): Replies['undo'] {
    const e = this.current().undo({ askFirstIfCommandLine: true, confirmedStep: confirmed });
    if (e) this.changedBy(e);
    return e;
  }

  /** The app's Ctrl+Shift+Z: a step undone from the command line is redone only once the user said yes to it. */
  redo({ confirmed }: ServiceArgs<'redo'>): Replies['redo'] {
    const e = this.current().redo({ askFirstIfCommandLine: true, confirmedStep: confirmed });
    if (e) this.changedBy(e);
    return e;
  }

  /** Undoing or redoing a removal of images changes the Library (and the history); any other step the triplets. */
  private changedBy(step: HistoryEntry): void {
    if (isImageRemoval(step.action)) this.changedImagesAndHistory();
    else this.changed('triplets');
  }

  /** A removal of images, done, undone or redone: the Library and what lists the edit history reload; no triplet changed. */
  private changedImagesAndHistory(): void {
    this.changed('images');
    this.changed('history');
  }

  // ---------- Training and review ----------

  async backends(): Promise<Replies['backends']> {
    const { probeFeatureEngines } = await import('../ml/features/onnx-engine.js');
    const { trainBackendReport } = await import('../ml/backend/train-choice.js');
    const { featureEngineReport } = await import('../ml/features/engine-choice.js');
    const installed = listBackbones().filter((b) => b.installed).map((b) => b.id);
    // The feature engine per backbone as remembered (measured at the first embed, not on opening the view).
    return { ...(await trainBackendReport()), engines: await probeFeatureEngines(), featureChoices: await featureEngineReport(installed) };
  }

  backbones(): Replies['backbones'] {
    return listBackbones();
  }

  /** Installs backbone weights as a job (progress in bytes while downloading). Needs no open project. */
  fetchBackbone({ id, from }: ServiceArgs<'fetchBackbone'>): Replies['fetchBackbone'] {
    backboneSpec(id);
    const jobId = this.jobs.start(
      'download',
      async (ctx) => {
        const { acquireBackbone, mirrorUrl } = await import('../ml/backbone/acquire/index.js');
        return acquireBackbone(id, {
          from,
          url: mirrorUrl(id),
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.progress({ phase: p.phase, done: p.received ?? 0, total: p.total && p.total > 0 ? p.total : 0, message: p.message }),
        });
      },
      { heavy: false, onDone: () => this.changed('backbones') },
    );
    return { jobId };
  }

  defaultTrainOptions(): Replies['defaultTrainOptions'] {
    return defaultTrainOptions();
  }

  train({ options }: ServiceArgs<'train'>): Replies['train'] {
    const project = this.current();
    const jobId = this.jobs.start('train', (ctx) => project.train(options, { signal: ctx.signal, onProgress: ctx.progress }), {
      onDone: () => this.changed('runs'),
      // A reloaded tab shows the run's options again (activeJobs); bad options are refused here, before a job starts.
      meta: { options: resolveTrainOptions(options) },
    });
    // A run row appears (status running) as soon as training starts; failures change it too.
    this.jobs.wait(jobId).catch(() => this.changed('runs'));
    return { jobId };
  }

  cancelJob({ jobId }: ServiceArgs<'cancelJob'>): boolean {
    return this.jobs.cancel(jobId);
  }

  runs(): Replies['runs'] {
    return this.current().runs();
  }

  async evaluate({ runId }: ServiceArgs<'evaluate'>): Promise<Replies['evaluate']> {
    const { result } = await this.current().evaluate(runId);
    this.changed('runs');
    return result;
  }

  mistakes({ runId }: ServiceArgs<'mistakes'>): Promise<Replies['mistakes']> {
    return this.current().mistakes(runId);
  }

  // ---------- Suggested triplets (active learning) ----------

  /** Runs as a job (features if missing, then ranking; progress, cancelJob) and replies with the suggestions. */
  async suggest({ count, runId }: ServiceArgs<'suggest'>): Promise<Replies['suggest']> {
    const project = this.current();
    const jobId = this.jobs.start('suggest', (ctx) => project.suggest({ count, runId, signal: ctx.signal, onProgress: ctx.progress }), { heavy: false, ...(runId !== undefined ? { meta: { runId } } : {}) });
    return (await this.jobs.wait(jobId)) as Replies['suggest'];
  }

  answerSuggestion(args: ServiceArgs<'answerSuggestion'>): Replies['answerSuggestion'] {
    const t = this.current().answerSuggestion(args);
    if (t) this.changed('triplets');
    return t;
  }

  // ---------- Label audit ----------

  /** Runs the audit as a job (progress with ETA, cancel); the report is the job's result and stays readable with auditReport. */
  audit({ options }: ServiceArgs<'audit'>): Replies['audit'] {
    const project = this.current();
    const jobId = this.jobs.start('audit', async (ctx) => trimAuditReport(await project.audit(options ?? {}, { signal: ctx.signal, onProgress: ctx.progress })));
    return { jobId };
  }

  auditReport(): Replies['auditReport'] {
    const r = this.current().auditReport();
    return r && trimAuditReport(r);
  }

  // ---------- Embedding map ----------

  /** The map being computed and the request it answers (one map job at a time). */
  private mapInFlight: { key: string; jobId: string; reply: Promise<Replies['mapProjection']> } | null = null;

  /**
   * From the cache at once; else computed as a job (progress, cancelJob) and replied when it ends.
   * The same request while it runs joins it; another one replaces it (the running one is cancelled
   * and waited for), so two requests in flight — a view's reload racing a new choice — never end in
   * BUSY "Another job is running (map)".
   */
  async mapProjection(args: ServiceArgs<'mapProjection'>): Promise<Replies['mapProjection']> {
    const project = this.current();
    const key = JSON.stringify([project.dir, args.method, args.source ?? null, args.runId ?? null]);
    for (;;) {
      const hit = project.cachedMap(args);
      if (hit) return hit;
      const running = this.mapInFlight;
      if (!running) break;
      if (running.key === key) return running.reply;
      this.jobs.cancel(running.jobId);
      await running.reply.catch(() => undefined);
    }
    // The map (megabytes at 100,000 points) is the reply; job:done carries only its size.
    let map: Replies['mapProjection'] | undefined;
    const jobId = this.jobs.start(
      'map',
      async (ctx) => {
        map = await project.map(args, { signal: ctx.signal, onProgress: ctx.progress });
        return { count: map.count };
      },
      // The run it projects is in use: not deleted under it.
      args.runId !== undefined ? { meta: { runId: args.runId } } : {},
    );
    const reply = this.jobs.wait(jobId).then(() => map!);
    const entry = { key, jobId, reply };
    this.mapInFlight = entry;
    void reply.catch(() => undefined).finally(() => {
      if (this.mapInFlight === entry) this.mapInFlight = null;
    });
    return reply;
  }

  // ---------- Using the model outside the app ----------

  /** Exports a finished run as a job (progress, cancelJob; nothing written when cancelled) and replies with what was written. */
  async exportRun({ runId, ...to }: ServiceArgs<'exportRun'>): Promise<Replies['exportRun']> {
    const project = this.current();
    if (this.jobs.running().some((j) => j.kind === 'export')) throw new AppError('BUSY', 'An export is running; wait for it or cancel it first.');
    // Not heavy: it may run beside training (features are usually cached by the run it exports).
    const jobId = this.jobs.start('export', (ctx) => project.exportRun(runId, to, { signal: ctx.signal, onProgress: ctx.progress }), { heavy: false, meta: { runId } });
    return (await this.jobs.wait(jobId)) as Replies['exportRun'];
  }

  async deleteRuns({ ids }: ServiceArgs<'deleteRuns'>): Promise<Replies['deleteRuns']> {
    // A run an export or a map is reading now stays until that job ends.
    const busy = this.jobs.running().filter((j) => typeof j.meta.runId === 'number' && ids.includes(j.meta.runId));
    if (busy.length) throw new AppError('BUSY', `Run ${busy[0].meta.runId} is in use (${busy[0].kind}): wait for it or cancel it, then delete the run; nothing was deleted.`);
    const r = await this.current().deleteRuns(ids);
    this.changed('runs');
    return r;
  }

  checkExport({ runId, ...to }: ServiceArgs<'checkExport'>): Replies['checkExport'] {
    this.current().checkExport(runId, to);
    return null;
  }

  // ---------- Diagnostics ----------

  diagnostics(): Replies['diagnostics'] {
    return { logFile: this.log.file };
  }

  /** An error the page caught itself (window error, unhandled rejection): logged with its stack. */
  reportRendererError({ where, message, stack }: ServiceArgs<'reportRendererError'>): null {
    this.log.error(`renderer (${where})`, stack && stack.includes(message) ? stack : `${message}${stack ? `\n${stack}` : ''}`);
    return null;
  }

  // ---------- For the hosts ----------

  /** Absolute path behind `/media/<kind>/<id>` (null when there is no project or no such image). */
  async mediaPath(kind: 'thumb' | 'image', id: number): Promise<string | null> {
    if (!this.project) return null;
    return kind === 'thumb' ? this.project.thumbnail(id) : this.project.mediaPath('image', id);
  }

  /** Cancels running jobs, waits for them, closes the project. */
  async dispose(): Promise<void> {
    this.stopUnwritable();
    this.jobs.cancelAll();
    await this.jobs.idle();
    this.unwatch();
    this.project?.close();
    this.project = null;
    // Workers told to stop (a search's feature worker) may still be winding down: exiting before
    // they are gone aborts the process (see workersExited).
    await workersExited();
  }

  // ---------- Internals ----------

  private current(): Project {
    if (!this.project) throw new AppError('NO_PROJECT', this.closedWhy ?? 'No project is open: create or open one first.');
    if (!this.project.inPlace()) this.closeMoved(this.project);
    if (this.project.lostWriteAccess()) this.reopenReadOnly(this.project, 'read-only');
    if (!this.project) throw new AppError('NO_PROJECT', this.closedWhy ?? 'No project is open: create or open one first.');
    return this.project;
  }

  /**
   * The open project's folder stopped taking writes (a drive the system remounted read-only after an
   * error, permissions changed) or its drive answers writes with I/O errors: every edit would fail
   * with SQLite's "disk I/O error", and on a failing drive each further write risks the file. It is
   * reopened read-only in place, and the views learn it at once (project:changed), so they
   * show the Read-only badge and disable what would change it. When it cannot be opened even for
   * viewing, it is closed, saying why.
   */
  private reopenReadOnly(project: Project, problem: WriteProblem): void {
    // Its jobs are not cancelled: each fails at its next write, saying why (not "Cancelled").
    this.unwatch();
    this.project = null;
    void this.jobs.idle().then(() => closeQuietly(project));
    let reopened: Project;
    try {
      reopened = Project.open(project.dir, { readOnly: true, writeProblem: problem });
    } catch (err) {
      this.closedWhy = `${cannotWriteText(project.dir, problem)}, and it could not be opened again for viewing (${knownError(err)?.message ?? (err as Error).message}), so the app closed it.`;
      this.emit('project:changed', { what: 'project', closed: this.closedWhy });
      return;
    }
    this.project = reopened;
    this.stopWatch = watchExternalChanges(reopened.db, () => this.changedElsewhere());
    const why = `${cannotWriteText(project.dir, problem)}, so it is open for viewing and export only from now on; an edit made as it happened was not saved (everything saved before it is kept). ${WRITABLE_AGAIN_HINT}`;
    this.emit('project:changed', { what: 'project', readOnly: why });
  }

  /**
   * The open project's folder was moved, renamed or deleted (a file manager, another program): its
   * store still answers, but derived files would be written at the old path. It is closed once its
   * jobs have stopped, and every view learns it at once (project:changed) with this request's error.
   */
  private closeMoved(project: Project): never {
    this.jobs.cancelAll();
    this.unwatch();
    this.project = null;
    void this.jobs.idle().then(() => project.close());
    // Requests of the same burst (a view loads several lists) then say the same, not "no project".
    this.closedWhy = `The project folder ${project.dir} was moved, renamed or deleted, or its drive was disconnected, while it was open, so the app closed it. Open it from where it is now (or reconnect its drive and open it again).`;
    this.emit('project:changed', { what: 'project', closed: this.closedWhy });
    throw new AppError('NO_PROJECT', this.closedWhy, { dir: project.dir });
  }

  /**
   * Before the open project changes: a job the user started is in the way (BUSY); one the app started
   * on its own (features for the similarity search) is stopped instead, its finished batches kept (it
   * meets the closed store and ends as cancelled).
   */
  private assertIdle(what: string): void {
    const running = this.jobs.stopYielding();
    // The job is named so the app can offer to stop it and go on (renderer: lib/state/stop-jobs.ts).
    if (running.length) throw new AppError('BUSY', `Cannot ${what} while a job is running (${running[0].kind}); cancel it first.`, running[0]);
  }

  private switchTo(project: Project): void {
    this.closedWhy = null;
    this.unwatch();
    this.project?.close();
    this.project = project;
    if (!project.readOnly) this.uploads.expire(project.dir); // leftovers of drops abandoned last time
    this.stopWatch = watchExternalChanges(project.db, () => this.changedElsewhere());
    this.remember(project.dir);
    this.emit('project:changed', { what: 'project' });
  }

  private changed(what: Events['project:changed']['what']): void {
    this.emit('project:changed', { what });
  }

  /**
   * A job committed through its own connection (the triplet import worker): reported once, now. The
   * watcher takes the commit as seen (else it reports it again a second later and every list is
   * fetched twice); since it may also hold someone else's commit, every kind of change is reported.
   */
  private changedThroughWorker(what: Events['project:changed']['what']): void {
    if (this.stopWatch?.resync()) this.changedElsewhere();
    else this.changed(what);
  }

  /** Another process (e.g. the CLI) committed to the open project: every view reloads what it shows. */
  private changedElsewhere(): void {
    for (const what of ['images', 'triplets', 'history', 'runs'] as const) this.changed(what);
  }

  private unwatch(): void {
    this.stopWatch?.();
    this.stopWatch = null;
  }

  private recentFile(): string {
    return join(this.dataDir, 'recent.json');
  }

  private readRecent(): string[] {
    try {
      const list = JSON.parse(readFileSync(this.recentFile(), 'utf8'));
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Puts `dir` first in the recent list; best effort: a data folder on a full or read-only drive must not fail the open that already happened. */
  private remember(dir: string): void {
    const abs = resolve(dir);
    const list = [abs, ...this.readRecent().filter((d) => d !== abs)].slice(0, MAX_RECENT);
    const tmp = `${this.recentFile()}.${process.pid}.tmp`;
    try {
      makeDirs(this.dataDir);
      writeFileSync(tmp, JSON.stringify(list, null, 2) + '\n');
      renameSync(tmp, this.recentFile());
    } catch {
      rmSync(tmp, { force: true });
    }
  }

  // ---------- Sessions that survive (s5-session) ----------

  private reopenMessage: string | null = null;

  /** At start: opens the most recent project; why it could not is kept for reopenNotice. */
  reopenLast(): void {
    if (this.project) return;
    const r = reopenMostRecent(this.readRecent(), (dir) => this.openProject({ dir }));
    this.reopenMessage = r.message;
  }

  reopenNotice(): Replies['reopenNotice'] {
    return this.reopenMessage;
  }

  activeJobs(): Replies['activeJobs'] {
    return this.jobs.active();
  }

  pathInfo({ path }: ServiceArgs<'pathInfo'>): Replies['pathInfo'] {
    return pathInfoOf(path);
  }

  private readonly uploads = new Uploads();

  receiveFile(args: ServiceArgs<'receiveFile'>): Replies['receiveFile'] {
    return this.uploads.receive(this.current().dir, args);
  }

  // ---------- Similarity search (issue 8.1; project/similar.ts) ----------

  /**
   * Searches the images whose features are cached; when some are missing, computes them as an 'embed'
   * job (progress, cancel) and says so (`jobId`: search again when it ends). A count already tried
   * (undecodable images stay missing) does not start another job.
   */
  async similar({ query, k, runId, raw }: ServiceArgs<'similar'>): Promise<Replies['similar']> {
    const project = this.current();
    const q =
      query.kind === 'image'
        ? { imageId: query.id }
        : query.kind === 'file'
          ? { file: query.path }
          : { bytes: Buffer.from(query.base64, 'base64'), label: query.name ?? 'the dropped file' };
    const reply = await project.similar(q, { k, runId, raw, ensure: false });
    if (reply.missing === 0 || project.readOnly) return reply;
    const running = this.jobs.running().find((j) => j.kind === 'embed');
    if (running) return { ...reply, jobId: running.jobId };
    const tried = `${project.dir}|${reply.backbone}|${reply.run}|${reply.missing}`;
    if (this.similarTried.has(tried) || this.jobs.running().length) return reply;
    this.similarTried.add(tried);
    // Started on the app's own initiative: Train, an audit or a map the user asks for cancels it.
    const jobId = this.jobs.start('embed', (ctx) => project.similarFeatures({ runId, raw, signal: ctx.signal, onProgress: ctx.progress }), { yields: true });
    return { ...reply, jobId };
  }

  /** What a run makes of a triplet being made; null while an image's features are not computed (the maker's neighbours panel starts that job). */
  judgeTriplet({ runId, ...t }: ServiceArgs<'judgeTriplet'>): Promise<Replies['judgeTriplet']> {
    return this.current().judgeTriplet(t, { runId, ensure: false });
  }

  /** Feature computations the similarity search already started (see similar). */
  private readonly similarTried = new Set<string>();

  // ---------- Review loop (s6-lists) ----------

  fixesSince({ runId }: ServiceArgs<'fixesSince'>): Replies['fixesSince'] {
    return this.current().fixesSince(runId);
  }
}

/** Closes a project whose folder stopped taking writes: SQLite's last checkpoint there may fail, which changes nothing. */
function closeQuietly(project: Project): void {
  try {
    project.close();
  } catch {
    // the store stays as its last commit left it
  }
}
