// A project is a folder: project.sqlite (the store) plus derived files (thumbs/, models/run-<id>/).
// The Project class is the engine API used by the CLI and wrapped by StudioService for the app.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type {
  BackendName,
  EvaluateResult,
  HistoryEntry,
  ImageImportReport,
  ImagePage,
  ImageQuery,
  ImageRecord,
  MapProjection,
  Mistake,
  Neighbour,
  ProjectInfo,
  RunSummary,
  Split,
  TrainOptions,
  TripletEdit,
  TripletFlag,
  TripletImportReport,
  TripletPage,
  TripletQuery,
  TripletRecord,
} from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { importImages, type ImportImagesOptions } from '../images/import.js';
import { defaultBackbone, distance, l2normalize, type EncoderWeights } from '../ml/index.js';
import { openDb, type Db } from '../store/db.js';
import * as imageStore from '../store/images.js';
import { isWritable } from '../store/readonly.js';
import { runCount, runModelDir } from '../store/runs.js';
import { tripletCounts } from '../store/triplets.js';
import { exportTriplets } from '../triplets/export.js';
import { importTriplets, type TripletImportOptions } from '../triplets/import.js';
import * as store from '../triplets/store.js';
import { noteImageImport } from '../triplets/history.js';
import { cachedMap, computeMap, type MapRequest } from './map.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun, type EmbedReport, type EnsureFeaturesOptions } from './features.js';
import {
  evaluateRun,
  failOrphanedRuns,
  getRun,
  latestFinishedRunId,
  listMistakes,
  listRuns,
  loadRunEncoder,
  trainRun,
  embedAll,
  type ScoredTriplet,
} from './runs.js';

export const DB_FILE = 'project.sqlite';

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
  private readonly encoders = new Map<number, Promise<EncoderWeights>>();
  private closed = false;

  private constructor(dir: string, db: Db, readOnly = false) {
    this.dir = dir;
    this.db = db;
    this.readOnly = readOnly;
  }

  /** Creates a project in `dir` (created if needed; must not already be a project). */
  static init(dir: string): Project {
    const abs = resolve(dir);
    if (isProjectDir(abs)) throw new AppError('CONFLICT', `${abs} is already a Triplet Studio project.`);
    if (existsSync(abs) && !statSync(abs).isDirectory()) throw new AppError('CONFLICT', `${abs} exists and is not a folder.`);
    mkdirSync(abs, { recursive: true });
    return new Project(abs, openDb(join(abs, DB_FILE)));
  }

  /**
   * Opens an existing project, checked first (see store/check.ts); runs left 'running' by a crashed
   * process are marked failed. A project this process cannot write opens read-only.
   */
  static open(dir: string, opts: { readOnly?: boolean } = {}): Project {
    const abs = resolve(dir);
    if (!isProjectDir(abs)) {
      const hint = existsSync(abs) ? `no ${DB_FILE} in it` : 'the folder does not exist';
      throw new AppError('NO_PROJECT', `${abs} is not a Triplet Studio project (${hint}); create one with \`triplet-studio init ${dir}\`.`);
    }
    const file = join(abs, DB_FILE);
    const readOnly = opts.readOnly ?? !isWritable(file);
    const project = new Project(abs, openDb(file, { readonly: readOnly }), readOnly);
    if (!readOnly) failOrphanedRuns(project.db);
    return project;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
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
    };
  }

  // ---------- Images ----------

  importImages(folder: string, opts: ImportImagesOptions = {}): Promise<ImageImportReport> {
    this.assertWritable('import images');
    // Listed in the edit history, marked as not undoable (undo skips it).
    return importImages(this.db, this.dir, folder, opts).then((r) => (noteImageImport(this.db, folder, r), r));
  }

  listImages(q: ImageQuery = {}): ImagePage {
    return imageStore.imagePage(this.db, q);
  }

  /** Every image with all the files it was imported from (`images DIR`). */
  imagesWithPaths(): imageStore.ImageWithPaths[] {
    return imageStore.listImagesWithPaths(this.db);
  }

  /** Triplets flagged because an image they use changed content, and why. */
  flaggedTriplets(): TripletFlag[] {
    return imageStore.listFlags(this.db);
  }

  /** The user has checked these triplets: their flags go. */
  clearTripletFlags(ids: number[]): number {
    return imageStore.clearFlags(this.db, ids);
  }

  listFolders(): string[] {
    return imageStore.folders(this.db);
  }

  getImage(id: number): { image: ImageRecord; triplets: TripletRecord[] } {
    const image = imageStore.imageRecordReader(this.db)(id);
    if (!image) throw new AppError('NOT_FOUND', `Image ${id} not found.`);
    return { image, triplets: this.listTriplets({ imageId: id, limit: 5000 }).items };
  }

  /** Absolute path of an image file or its thumbnail (null when unknown). */
  mediaPath(kind: 'thumb' | 'image', id: number): string | null {
    const r = imageStore.mediaRow(this.db, id);
    if (!r) return null;
    if (kind === 'image') return r.abs_path;
    return r.thumb ? join(this.dir, r.thumb) : null;
  }

  /** The k nearest images: by the run's (default latest) embedding, else raw features of the default backbone. */
  async neighbours(id: number, k = 12, runId?: number, opts: Cancellable = {}): Promise<Neighbour[]> {
    this.getImage(id);
    const rid = runId ?? latestFinishedRunId(this.db);
    const run = rid !== null ? getRun(this.db, rid) : null;
    if (runId !== undefined && run?.status !== 'finished') throw new AppError('NOT_FOUND', `Run ${runId} is not a finished run.`);
    const backbone = run?.options.backbone ?? defaultBackbone();
    const key = featureKey(backbone, run ? prepOfRun(run.options) : {});
    if (!this.readOnly) await ensureFeatures(this.db, backbone, { signal: opts.signal, onProgress: opts.onProgress, backend: run?.options.backend, prep: key.prep });
    const features = loadFeatures(this.db, key);
    if (!features.has(id)) throw new AppError('NOT_FOUND', `Image ${id} has no features (it could not be decoded).`);
    let vectors: Map<number, Float32Array>;
    let kind: TrainOptions['distance'] = 'l2';
    if (run) {
      vectors = embedAll(await this.encoder(run.id), features);
      kind = run.options.distance;
    } else vectors = new Map([...features].map(([i, v]) => [i, l2normalize(v)]));
    const q = vectors.get(id)!;
    const ranked = [...vectors].filter(([i]) => i !== id).map(([i, v]) => ({ id: i, distance: distance(kind, q, v) }));
    ranked.sort((a, b) => a.distance - b.distance);
    const top = ranked.slice(0, k);
    const get = imageStore.imageRecordReader(this.db);
    return top.map((r) => ({ image: get(r.id)!, distance: r.distance }));
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
    return exportTriplets(this.db, split, file);
  }

  /** Triplets with filters; `mispredicted` and dAP/dAN come from the given or latest finished run. */
  listTriplets(q: TripletQuery = {}): TripletPage {
    const page = store.listTriplets(this.db, { ...q, runId: q.runId ?? latestFinishedRunId(this.db) });
    return imageStore.withFlags(this.db, page);
  }

  createTriplet(args: { split: Split; anchorId: number; positiveId: number; negativeId: number; names?: [string, string, string] }): TripletRecord {
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

  undo(): HistoryEntry | null {
    this.assertWritable('undo');
    return store.undo(this.db);
  }

  redo(): HistoryEntry | null {
    this.assertWritable('redo');
    return store.redo(this.db);
  }

  // ---------- Features, training, review ----------

  embed(backbone: string, opts: Cancellable & { backend?: BackendName; prep?: EnsureFeaturesOptions['prep'] } = {}): Promise<EmbedReport> {
    this.assertWritable('compute features');
    return ensureFeatures(this.db, backbone, opts);
  }

  train(options: Partial<TrainOptions> = {}, opts: Cancellable = {}): Promise<RunSummary> {
    this.assertWritable('train');
    return trainRun(this.db, this.dir, options, opts);
  }

  runs(): RunSummary[] {
    return listRuns(this.db);
  }

  evaluate(runId?: number, opts: Cancellable = {}): Promise<{ result: EvaluateResult; scored: ScoredTriplet[] }> {
    return evaluateRun(this.db, this.dir, runId, { ...opts, encoder: (id) => this.encoder(id), readOnly: this.readOnly });
  }

  mistakes(runId?: number, opts: Cancellable = {}): Promise<Mistake[]> {
    return listMistakes(this.db, this.dir, runId, { ...opts, encoder: (id) => this.encoder(id), readOnly: this.readOnly });
  }

  /** Throws a clear error when the project was opened read-only. */
  private assertWritable(what: string): void {
    if (this.readOnly) {
      throw new AppError('FORBIDDEN', `Cannot ${what}: ${join(this.dir, DB_FILE)} is read-only here, so the project is open for viewing and export only.`);
    }
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
