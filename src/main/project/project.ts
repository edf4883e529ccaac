// A project is a folder: project.sqlite (the store) plus derived files (thumbs/, models/run-<id>/).
// The Project class is the engine API used by the CLI and wrapped by StudioService for the app.
import { existsSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type {
  BackendName,
  EvaluateResult,
  FixesSinceRun,
  HistoryEntry,
  ImageImportReport,
  ImagePage,
  ImageQuery,
  ImageRecord,
  MapProjection,
  Mistake,
  Neighbour,
  ProjectInfo,
  SimilarReply,
  RunSummary,
  Split,
  SuggestResult,
  TrainOptions,
  TripletEdit,
  TripletFlag,
  TripletImportReport,
  TripletPage,
  TripletQuery,
  TripletJudgement,
  TripletRecord,
} from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { emptyReport, importImages, thumbRelPath, type ImportImagesOptions } from '../images/import.js';
import { removeImages } from '../images/remove.js';
import { distance, tripletLoss, type EncoderWeights } from '../ml/index.js';
import { verdictOf } from '../../shared/judgement-text.js';
import { missingImageIds, withFileState } from '../images/file-state.js';
import { reallyInside } from '../util/inside-on-drive.js';
import { ThumbnailRepair } from '../images/thumb-repair.js';
import { getRun } from './run-rows.js';
import { openDb, type Db } from '../store/db.js';
import * as imageStore from '../store/images.js';
import { isWritable } from '../store/readonly.js';
import { markCommandLine as markHistoryCommandLine } from '../store/history.js';
import { cannotWriteText, storeWriteProblem, type WriteProblem } from '../store/check.js';
import { refreshReport, runAudit } from './audit.js';
import type { AuditOptions, AuditReport } from '../../shared/types.js';
import { runCount, runModelDir } from '../store/runs.js';
import { tripletCounts } from '../store/triplets.js';
import { exportTriplets } from '../triplets/export.js';
import { importTriplets, type TripletImportOptions } from '../triplets/import.js';
import * as store from '../triplets/store.js';
import { noteImageImport, recordFlagsCleared } from '../triplets/history.js';
import { answerSuggestion, suggestForProject, type SuggestionAnswerArgs, type SuggestOptions } from './suggest.js';
import { fixesSinceRun } from './fixes-since.js';
import { cachedMap, computeMap, type MapRequest } from './map.js';
import { removeStaleScratchFiles } from './train-stream.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun, type EmbedReport, type EnsureFeaturesOptions } from './features.js';
import { SimilarIndex, type SimilarOptions, type SimilarQuery } from './similar.js';
import { encodeToFile, finishedRun, type EncodeReport } from './encode.js';
import { exportOnnx, exportTfjs, preprocessingOf, type ModelExportReport } from './model-export.js';
import { matrixFiles } from './matrix-files.js';
import { removeStaleModelFolders } from './model-files.js';
import { checkExportTargets, exportRun, type RunExportTargets } from './run-export.js';
import { deleteRuns, previewRunDeletion } from './run-delete.js';
import { refuseProjectParts } from './own-files.js';
import { DB_FILE } from '../../shared/project-layout.js';
import type { ImageRemovalReport, ImageSelection, RunDeletion, RunExportReport } from '../../shared/types.js';
import {
  evaluateRun,
  failOrphanedRuns,
  withOrphansShown,
  type Evaluated,
  latestFinishedRunId,
  listMistakes,
  listRuns,
  loadRunEncoder,
  trainRun,
  type ScoredTriplet,
} from './runs.js';
import { assertFileTarget } from '../util/file-target.js';
import { makeDirs } from '../util/make-dirs.js';

export { DB_FILE };

export function isProjectDir(dir: string): boolean {
  return existsSync(join(resolve(dir), DB_FILE));
}

interface Cancellable {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}


export class Project {
  readonly dir: string;
  readonly db: Db;
  /** Opened for viewing and export only (the store or its folder is not writable). */
  readonly readOnly: boolean;
  /** Why, when it was opened read-only because writing failed (a drive turned read-only or erring). */
  private readonly writeProblem: WriteProblem | null;
  private readonly encoders = new Map<number, Promise<EncoderWeights>>();
  private readonly thumbRepair = new ThumbnailRepair();
  private closed = false;
  private readonly similarIndex: SimilarIndex;
  /** Which file the store is (device and inode), to notice the folder being moved while open. */
  private readonly storeFile: { dev: number; ino: number };

  private constructor(dir: string, db: Db, readOnly = false, writeProblem: WriteProblem | null = null) {
    this.dir = dir;
    this.db = db;
    this.readOnly = readOnly;
    this.writeProblem = writeProblem;
    const { dev, ino } = statSync(join(dir, DB_FILE));
    this.storeFile = { dev, ino };
    this.similarIndex = new SimilarIndex({ db, readOnly, encoder: (id) => this.encoder(id) });
  }

  /** Creates a project in `dir` (created if needed; must not already be a project). */
  static init(dir: string): Project {
    const abs = Project.assertCreatable(dir);
    makeDirs(abs);
    return new Project(abs, openDb(join(abs, DB_FILE)));
  }

  /**
   * Opens an existing project, checked first (see store/check.ts); runs left 'running' by a crashed
   * process are marked failed. A project this process cannot write opens read-only.
   */
  static open(dir: string, opts: { readOnly?: boolean; writeProblem?: WriteProblem } = {}): Project {
    const abs = Project.assertOpenable(dir);
    const file = join(abs, DB_FILE);
    let readOnly = opts.readOnly ?? !isWritable(file);
    let writeProblem = opts.writeProblem ?? null;
    let db: Db;
    try {
      db = openDb(file, { readonly: readOnly });
    } catch (err) {
      // A drive that failed refuses writes (or answers them with I/O errors) while still mounted "rw",
      // so access() said writable: open it for viewing, remembering why.
      writeProblem = readOnly ? null : storeWriteProblem(err, abs);
      if (!writeProblem) throw err;
      readOnly = true;
      db = openDb(file, { readonly: true });
    }
    const project = new Project(abs, db, readOnly, writeProblem);
    if (!readOnly) failOrphanedRuns(project.db);
    if (!readOnly) removeStaleModelFolders(project.db, abs); // a crash between a model's rename and its run's commit
    if (!readOnly) removeStaleScratchFiles(abs); // a crashed run's scratch store (train-stream.ts)
    return project;
  }

  /**
   * False once the folder was moved, renamed or deleted while open: the open store still works (it
   * is the same file), but nothing may be written at the old path, where no project is any more.
   */
  inPlace(): boolean {
    const now = statSync(join(this.dir, DB_FILE), { throwIfNoEntry: false });
    return !!now && now.dev === this.storeFile.dev && now.ino === this.storeFile.ino;
  }

  /**
   * True once a project opened for writing can no longer be written (its folder's permissions
   * changed): the service then reopens it read-only (service.ts current()).
   */
  lostWriteAccess(): boolean {
    return !this.readOnly && !isWritable(join(this.dir, DB_FILE));
  }

  /** The absolute folder a project can be created in; CONFLICT when one is there or a file is in the way. */
  static assertCreatable(dir: string): string {
    const abs = resolve(nonEmptyDir(dir));
    if (isProjectDir(abs)) throw new AppError('CONFLICT', `${abs} is already a Triplet Studio project.`);
    if (existsSync(abs) && !statSync(abs).isDirectory()) throw new AppError('CONFLICT', `${abs} exists and is not a folder.`);
    return abs;
  }

  /** The absolute folder of an existing project; NO_PROJECT, saying what to do, when it is not one. */
  static assertOpenable(dir: string): string {
    const abs = resolve(nonEmptyDir(dir));
    if (!isProjectDir(abs)) {
      // A plain file cannot become a project: do not suggest an init that would fail.
      if (existsSync(abs) && !statSync(abs).isDirectory()) throw new AppError('NO_PROJECT', `${abs} is a file, not a Triplet Studio project (a project is a folder).`);
      const hint = existsSync(abs) ? `no ${DB_FILE} in it` : 'the folder does not exist';
      throw new AppError('NO_PROJECT', `${abs} is not a Triplet Studio project (${hint}); create one with \`triplet-studio init ${dir}\`.`);
    }
    return abs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.similarIndex.dispose();
    this.db.close();
  }

  get name(): string {
    return basename(this.dir);
  }

  info(): ProjectInfo {
    return {
      dir: this.dir,
      name: this.name,
      images: imageStore.imageCount(this.db),
      triplets: tripletCounts(this.db),
      runs: runCount(this.db),
      latestRun: latestFinishedRunId(this.db),
      ...(this.readOnly ? { readOnly: true } : {}),
      ...(this.writeProblem === 'drive-error' ? { readOnlyBecause: 'drive-error' as const } : {}),
    };
  }

  // ---------- Images ----------

  async importImages(folder: string, opts: ImportImagesOptions = {}): Promise<ImageImportReport> {
    this.assertWritable('import images');
    const report = emptyReport();
    let r: ImageImportReport;
    try {
      r = await importImages(this.db, this.dir, folder, { ...opts, report, inPlace: () => this.inPlace() });
    } catch (err) {
      // A stopped import keeps what it added, so it is listed too, as stopped; a note that cannot be
      // written (the full or failing drive that stopped it) must not hide why it stopped.
      try {
        noteImageImport(this.db, folder, report, 'stopped before the end');
      } catch {
        // the import's own error says what happened
      }
      throw err;
    }
    // Listed in the edit history, marked as not undoable (undo skips it).
    noteImageImport(this.db, folder, r);
    return r;
  }

  listImages(q: ImageQuery = {}): ImagePage {
    const page = imageStore.imagePage(this.db, q);
    return { ...page, items: withFileState(this.db, page.items) };
  }

  /** Every image with all the files it was imported from (`images DIR`). */
  async imagesWithPaths(): Promise<(imageStore.ImageWithPaths & { missing?: boolean })[]> {
    // One pass over every image's file (not a second query of all ids' paths).
    const gone = new Set(await missingImageIds(this.db));
    return imageStore.listImagesWithPaths(this.db).map((i) => (gone.has(i.id) ? { ...i, missing: true } : i));
  }

  /** Triplets flagged because an image they use changed content, and why. */
  flaggedTriplets(): TripletFlag[] {
    return imageStore.listFlags(this.db);
  }

  /** The user checked these flagged triplets: their flags go, as one undoable step. */
  clearTripletFlags(ids: number[]): number {
    this.assertWritable('clear flags');
    return this.db.transaction(() => {
      const flags = imageStore.listFlags(this.db, ids);
      const n = imageStore.clearFlags(this.db, ids);
      // The note names the triplets whose flags went, not every id asked for.
      const cleared = [...new Set(flags.map((f) => f.tripletId))];
      recordFlagsCleared(this.db, flags, `checked ${n} flag${n === 1 ? '' : 's'} of triplet${cleared.length === 1 ? '' : 's'} ${cleared.slice(0, 5).map((i) => `#${i}`).join(', ')}${cleared.length > 5 ? ', …' : ''}`);
      return n;
    })();
  }

  /** Removes the selected images that no triplet uses, as one undoable step (images/remove.ts). */
  removeImages(selection: ImageSelection, opts: { dryRun?: boolean } = {}): ImageRemovalReport {
    if (!opts.dryRun) this.assertWritable('remove images');
    return removeImages(this.db, selection, opts);
  }

  /** Ids of the images whose file is gone (every image checked; the service answers other requests meanwhile). */
  missingImages(): Promise<number[]> {
    return missingImageIds(this.db);
  }

  listFolders(): string[] {
    return imageStore.folders(this.db);
  }

  getImage(id: number): { image: ImageRecord; triplets: TripletRecord[] } {
    const found = imageStore.imageRecordReader(this.db)(id);
    if (!found) throw new AppError('NOT_FOUND', `Image ${id} not found.`);
    const [image] = withFileState(this.db, [found]);
    return { image, triplets: this.listTriplets({ imageId: id, limit: 5000 }).items };
  }

  /** Absolute path of an image file or its thumbnail (null when unknown, or a thumbnail path that leads out of thumbs/). */
  mediaPath(kind: 'thumb' | 'image', id: number): string | null {
    const r = imageStore.mediaRow(this.db, id);
    if (!r) return null;
    if (kind === 'image') return r.abs_path;
    return r.thumb ? this.thumbPath(r.thumb) : null;
  }

  /** `<project>/<rel>` when it names a place inside <project>/thumbs/; null otherwise (the store's path may have been edited to `../x`). */
  private thumbPath(rel: string): string | null {
    const abs = join(this.dir, rel);
    return abs.startsWith(join(this.dir, 'thumbs') + sep) ? abs : null;
  }

  /** The thumbnail's real path when it resolves inside <project>/thumbs/ (a symlink there may lead anywhere); null otherwise or when it is missing. */
  private async realThumb(abs: string): Promise<string | null> {
    try {
      const [real, root] = await Promise.all([realpath(abs), this.realThumbsRoot()]);
      return real.startsWith(root + sep) ? real : null;
    } catch {
      return null;
    }
  }

  /** thumbs/'s real path, resolved once (asked for every thumbnail a grid shows); not kept while it is missing. */
  private thumbsRoot: Promise<string> | null = null;
  private realThumbsRoot(): Promise<string> {
    this.thumbsRoot ??= realpath(join(this.dir, 'thumbs')).catch((err: unknown) => {
      this.thumbsRoot = null;
      throw err;
    });
    return this.thumbsRoot;
  }

  /** The thumbnail's path, written again from the image's file when it is missing (images/thumb-repair.ts);
   * null when there is none and the file is gone or changed. */
  async thumbnail(id: number): Promise<string | null> {
    const r = imageStore.mediaRow(this.db, id);
    const abs = r?.thumb ? this.thumbPath(r.thumb) : null;
    if (!r || !abs) return null;
    // A project opened read-only gets nothing written into it, and nothing is written anywhere but the
    // thumbnail's own place under thumbs/ (the store's path could have been edited to point elsewhere),
    // nor at the old path of a folder moved while open.
    // Nor through a thumbs/ that is a link leading out of the project.
    if (this.readOnly || r.thumb !== thumbRelPath(r.sha256) || !this.inPlace() || !reallyInside(this.dir, join(this.dir, 'thumbs'))) return this.realThumb(abs);
    return (await this.thumbRepair.ensure(abs, r.abs_path, r.sha256)) ? this.realThumb(abs) : null;
  }

  /** The k nearest images: by the run's (default latest) embedding, else raw features of the default backbone. */
  async neighbours(id: number, k = 12, runId?: number, opts: Cancellable = {}): Promise<Neighbour[]> {
    this.getImage(id);
    return (await this.similar({ imageId: id }, { k, runId, ...opts })).neighbours;
  }

  private encoder(runId: number): Promise<EncoderWeights> {
    let e = this.encoders.get(runId);
    if (!e) {
      const dir = runModelDir(this.db, runId);
      if (!dir) throw new AppError('NOT_FOUND', `Run ${runId} has no model.`);
      e = loadRunEncoder(this.dir, runId, dir);
      e.catch(() => this.encoders.delete(runId));
      this.encoders.set(runId, e);
    }
    return e;
  }

  // ---------- Triplets ----------

  /** Streams the file into the store in a worker, as one transaction and one undoable step (see triplets/import-run.ts). */
  importTriplets(file: string, split: Split, opts: TripletImportOptions = {}, control: Cancellable = {}): Promise<TripletImportReport> {
    this.assertWritable('import triplets');
    return importTriplets(this.db, file, split, opts, { signal: control.signal, onProgress: control.onProgress });
  }

  exportTriplets(split: Split, file: string): { file: string; count: number } {
    refuseProjectParts(this.dir, [file]);
    return exportTriplets(this.db, split, file);
  }

  /** Triplets with filters; `mispredicted` and dAP/dAN come from the given or latest finished run. */
  listTriplets(q: TripletQuery = {}): TripletPage {
    const page = store.listTriplets(this.db, { ...q, runId: q.runId ?? latestFinishedRunId(this.db) });
    return imageStore.withFlags(this.db, page);
  }

  createTriplet(args: { split: Split; anchorId: number; positiveId: number; negativeId: number; names?: [string, string, string]; allowLeakage?: boolean }): TripletRecord {
    this.assertWritable('add a triplet');
    return store.createTriplet(this.db, args);
  }

  editTriplet(id: number, edit: TripletEdit): TripletRecord | null {
    this.assertWritable('edit triplets');
    return store.editTriplet(this.db, id, edit);
  }

  history(page: { offset?: number; limit?: number } = {}): HistoryEntry[] {
    return store.listHistory(this.db, page);
  }

  /** What this process adds to the edit history from now on is marked as made from the command line (not for a read-only store: it adds nothing). */
  markCommandLine(): void {
    if (!this.readOnly) markHistoryCommandLine(this.db);
  }

  /**
   * `askFirstIfCommandLine`: a step made from the command line is refused (CONFLICT, the step in
   * `details.madeElsewhere`) for the app to ask, unless it is `confirmedStep`.
   */
  undo(opts: store.AskFirst = {}): HistoryEntry | null {
    this.assertWritable('undo');
    return store.undo(this.db, opts);
  }

  /** As undo, for a step undone from the command line (`details.undoneElsewhere`). */
  redo(opts: store.AskFirst = {}): HistoryEntry | null {
    this.assertWritable('redo');
    return store.redo(this.db, opts);
  }

  // ---------- Features, training, review ----------

  embed(backbone: string, opts: Cancellable & { backend?: BackendName; prep?: EnsureFeaturesOptions['prep'] } = {}): Promise<EmbedReport> {
    this.assertWritable('compute features');
    return ensureFeatures(this.db, backbone, opts);
  }

  train(options: Partial<TrainOptions> = {}, opts: Cancellable = {}): Promise<RunSummary> {
    this.assertWritable('train');
    return trainRun(this.db, this.dir, options, { ...opts, inPlace: () => this.inPlace() });
  }

  runs(): RunSummary[] {
    return this.readOnly ? withOrphansShown(this.db, listRuns(this.db)) : listRuns(this.db);
  }

  evaluate(runId?: number, opts: Cancellable = {}): Promise<Evaluated> {
    return evaluateRun(this.db, this.dir, runId, { ...opts, encoder: (id) => this.encoder(id), readOnly: this.readOnly });
  }

  mistakes(runId?: number, opts: Cancellable = {}): Promise<Mistake[]> {
    return listMistakes(this.db, this.dir, runId, { ...opts, encoder: (id) => this.encoder(id), readOnly: this.readOnly });
  }

  // ---------- Suggested triplets (active learning) ----------

  /** Triplets worth labelling next, ranked with the run's encoder (default latest) or raw features (see project/suggest.ts). */
  suggest(opts: Omit<SuggestOptions, 'readOnly'> = {}): Promise<SuggestResult> {
    return suggestForProject(this.db, (id) => this.encoder(id), { ...opts, readOnly: this.readOnly });
  }

  /** Accept (as shown or swapped: a new train triplet, undoable) or reject (never suggested again). */
  answerSuggestion(args: SuggestionAnswerArgs): TripletRecord | null {
    this.assertWritable('answer a suggestion');
    return answerSuggestion(this.db, args);
  }

  // ---------- Label audit ----------

  /** The last audit of this session (its suspects refreshed on read: see auditReport). */
  private lastAudit: AuditReport | null = null;

  /** Likely-wrong train triplets, contradictions, duplicate images, leakage (project/audit.ts). */
  async audit(options: AuditOptions = {}, opts: Cancellable = {}): Promise<AuditReport> {
    this.lastAudit = await runAudit(this.db, { ...options, signal: opts.signal, onProgress: opts.onProgress, readOnly: this.readOnly });
    return this.lastAudit;
  }

  /** The last audit with each suspect's current state, or null when none ran in this session. */
  auditReport(): AuditReport | null {
    return this.lastAudit && refreshReport(this.db, this.lastAudit);
  }

  /** Throws a clear error when the project was opened read-only, saying so when its drive erred. */
  private assertWritable(what: string): void {
    if (!this.readOnly) return;
    if (this.writeProblem === 'drive-error') {
      throw new AppError('DRIVE_ERROR', `Cannot ${what}: ${cannotWriteText(this.dir, 'drive-error')}, so the project is open for viewing and export only.`);
    }
    throw new AppError('FORBIDDEN', `Cannot ${what}: ${join(this.dir, DB_FILE)} is read-only here, so the project is open for viewing and export only.`);
  }

  // ---------- Similarity search (issue 8.1; project/similar.ts) ----------

  /** Nearest images of an image of the project or of an outside file (not added), by a run's encoder or raw features. */
  async similar(query: SimilarQuery, opts: SimilarOptions = {}): Promise<SimilarReply> {
    const r = await this.similarIndex.search(query, opts);
    const get = imageStore.imageRecordReader(this.db);
    return { run: r.run, distance: r.distance, dim: r.dim, backbone: r.backbone, missing: r.missing, neighbours: r.hits.map((h) => ({ image: get(h.id)!, distance: h.distance })) };
  }

  /**
   * What a finished run (default: the latest) makes of a triplet, saved or not: its distances, loss
   * and verdict (shared/judgement-text.ts). null before any finished run, or while one of the three
   * images has no features in the run's space (the app does not compute them here: `ensure: false`).
   */
  async judgeTriplet(t: { anchorId: number; positiveId: number; negativeId: number }, opts: Pick<SimilarOptions, 'runId' | 'ensure' | 'signal' | 'onProgress'> = {}): Promise<TripletJudgement | null> {
    const ids = [t.anchorId, t.positiveId, t.negativeId];
    for (const id of ids) this.getImage(id);
    if (new Set(ids).size < 3) throw new AppError('BAD_ARGUMENTS', 'A triplet needs three different images.');
    const runId = opts.runId ?? latestFinishedRunId(this.db);
    if (runId === null) return null;
    const { space, vectors } = await this.similarIndex.vectorsOf(ids, { ...opts, runId, raw: false });
    const [a, p, n] = vectors;
    if (space.run === null || !a || !p || !n) return null;
    // The run may have been deleted while its space was built (another process).
    const run = getRun(this.db, space.run);
    if (!run) throw new AppError('NOT_FOUND', `Run ${space.run} is not a finished run.`);
    const margin = run.options.margin;
    const dAP = distance(space.distance, a, p);
    const dAN = distance(space.distance, a, n);
    return { run: space.run, distance: space.distance, margin, dAP, dAN, verdict: verdictOf(dAP, dAN, margin), loss: tripletLoss(dAP, dAN, margin) };
  }

  /** Computes the features the similarity search in this space needs (the app runs it as a job). */
  similarFeatures(opts: SimilarOptions = {}): Promise<void> {
    this.assertWritable('compute features');
    return this.similarIndex.ensureFeatures(opts);
  }

  // ---------- Using the model outside the app (issue 8.5; project/encode.ts, project/model-export.ts) ----------

  /** Every image's encoding by a finished run (default: the latest), written as .csv or .npy. */
  encode(file: string, runId?: number, opts: Cancellable = {}): Promise<EncodeReport> {
    refuseProjectParts(this.dir, matrixFiles(file));
    return encodeToFile(this.encodeContext(), file, runId, opts);
  }

  /** What deleting runs would free, checked as the deletion checks (`delete-run` without --yes says it). */
  previewRunDeletion(ids: readonly number[]): RunDeletion {
    return previewRunDeletion(this.db, this.dir, ids);
  }

  /** Deletes finished, failed or cancelled runs for good (the caller asked first): rows, scores, cached maps and model files. */
  async deleteRuns(ids: readonly number[]): Promise<RunDeletion> {
    this.assertWritable('delete runs');
    const r = await deleteRuns(this.db, this.dir, ids);
    for (const id of r.deleted) this.encoders.delete(id);
    return r;
  }

  /**
   * exportRun's refusals of its targets, without exporting (the Export dialog asks before it asks
   * about replacing). A folder's contents are read only inside the project: a path elsewhere is not
   * yet one the user confirmed, so this tells no more about it than pathInfo does.
   */
  checkExport(runId: number, to: RunExportTargets): void {
    refuseProjectParts(this.dir, [to.onnx, to.tfjs, ...(to.encodings ? matrixFiles(to.encodings) : [])]);
    checkExportTargets(this.db, runId, to, (path) => reallyInside(this.dir, path));
  }

  /** The app's Export: any of the ONNX model, the tfjs encoder and the encodings of a finished run, nothing written if cancelled. */
  async exportRun(runId: number, to: RunExportTargets, opts: Cancellable = {}): Promise<RunExportReport> {
    refuseProjectParts(this.dir, [to.onnx, to.tfjs, ...(to.encodings ? matrixFiles(to.encodings) : [])]);
    return exportRun(this.encodeContext(), runId, to, opts);
  }

  private encodeContext() {
    return { db: this.db, readOnly: this.readOnly, encoder: (id: number) => this.encoder(id) };
  }

  /** Exports a finished run as one ONNX file (image in, encoding out) and/or the tfjs encoder. */
  async exportModel(runId: number | undefined, to: { onnx?: string; tfjs?: string }): Promise<ModelExportReport> {
    if (!to.onnx && !to.tfjs) throw new AppError('BAD_ARGUMENTS', 'Give --onnx FILE, --tfjs DIR or both.');
    refuseProjectParts(this.dir, [to.onnx, to.tfjs]);
    if (to.onnx) assertFileTarget(to.onnx); // before the ONNX build, not when writing
    const run = finishedRun(this.db, runId);
    const enc = await this.encoder(run.id);
    return {
      run: run.id,
      onnx: to.onnx ? await exportOnnx(run, enc, to.onnx) : null,
      tfjs: to.tfjs ? await exportTfjs(run, enc, to.tfjs) : null,
      preprocessing: preprocessingOf(run),
    };
  }

  // ---------- Review loop (s6-lists) ----------

  /** Train/test triplets edited since a run (default: latest finished) started; null without a run. */
  fixesSince(runId?: number): FixesSinceRun | null {
    return fixesSinceRun(this.db, runId);
  }

  // ---------- Embedding map ----------

  /** The map from the project's cache (or with no points when no image has features yet); null when it must be computed. */
  cachedMap(req: MapRequest): MapProjection | null {
    return cachedMap(this.db, req);
  }

  /** The 2-D map of every image with features (PCA or UMAP in a worker; cached per source and method). */
  map(req: MapRequest, opts: Cancellable = {}): Promise<MapProjection> {
    return computeMap(this.db, req, { readOnly: this.readOnly, encoder: (id) => this.encoder(id), signal: opts.signal, onProgress: opts.onProgress });
  }
}

/** An empty folder argument would resolve to the current folder: refused, as nobody means that by "". */
function nonEmptyDir(dir: string): string {
  if (dir.trim() === '') throw new AppError('BAD_ARGUMENTS', 'The project folder is empty: name a folder (use . for the current one).');
  return dir;
}
