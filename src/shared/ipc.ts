// The one IPC contract between the renderer and the main side.
// Every request's arguments are declared once here as a zod schema (validated in the main
// process before any handler runs), every reply type once in `Replies`, every pushed event
// once in `Events`. Electron's preload and the browser-mode WebSocket client both derive
// their method lists from `REQUESTS`, so the two transports cannot drift apart.
import { z } from 'zod';
import { EVENT_CHANNEL, EVENT_NAMES, ipcChannel, mediaUrl, REQUEST_NAMES, type EventName, type RequestName } from './channels.js';

export { EVENT_CHANNEL, EVENT_NAMES, ipcChannel, mediaUrl, REQUEST_NAMES, type EventName, type RequestName };
import type {
  ActiveJob,
  DirListing,
  PathInfo,
  AuditReport,
  BackboneInfo,
  BackendReport,
  EvaluateResult,
  FixesSinceRun,
  HistoryEntry,
  ImageImportReport,
  ImageRemovalReport,
  ImagePage,
  ImageRecord,
  JobProgress,
  MapProjection,
  RunDeletion,
  RunExportReport,
  Mistake,
  ProjectInfo,
  RunSummary,
  SuggestResult,
  SimilarReply,
  TripletJudgement,
  TripletImportReport,
  TripletPage,
  TripletRecord,
} from './types.js';
import { trainOptionsSchema } from './train-options.js';
import { SIMILAR_MAX_BYTES } from './types/similar.js';
import { SUGGESTION_ANSWERS, SUGGESTION_REASONS } from './types/suggest.js';

const split = z.enum(['train', 'test']);
const SIMILAR_MAX_BASE64 = Math.ceil(SIMILAR_MAX_BYTES / 3) * 4;
const id = z.number().int().positive();
const path = z.string().min(1).max(4096);
/** Standard base64 (btoa's): anything else would decode to fewer or other bytes without a word. */
const base64 = (max: number) => z.string().max(max).regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'is not base64 text');
const page = { offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional() };

// Defined in train-options.ts, so domain code (ml/, project/) uses it without the IPC contract.
export { trainOptionsSchema };

const tripletEdit = z.discriminatedUnion('kind', [
  // positiveId: the positive the user saw. A swap turns the pair round, so one that crossed another
  // process's swap of the same triplet would quietly put it back; with it, that is refused.
  z.object({ kind: z.literal('swap'), positiveId: id.optional() }),
  z.object({ kind: z.literal('exclude') }),
  z.object({ kind: z.literal('include'), allowLeakage: z.boolean().optional() }),
  z.object({ kind: z.literal('keep') }),
  z.object({ kind: z.literal('review'), review: z.enum(['keep', 'ambiguous']).nullable() }),
  z.object({ kind: z.literal('move'), split, allowLeakage: z.boolean().optional() }),
  z.object({ kind: z.literal('delete') }),
  z.object({ kind: z.literal('replace'), role: z.enum(['anchor', 'positive', 'negative']), imageId: id, allowLeakage: z.boolean().optional() }),
]);

/** Request channels and their argument schemas. Order is irrelevant; names are the API. */
export const REQUESTS = {
  // Projects
  createProject: z.object({ dir: path }),
  openProject: z.object({ dir: path }),
  closeProject: z.object({}),
  recentProjects: z.object({}),
  projectInfo: z.object({}),
  // Library
  importImages: z.object({ folder: path }),
  listImages: z.object({ search: z.string().max(1000).optional(), folder: z.string().max(4096).optional(), ids: z.array(id).max(200_000).optional(), ...page }),
  listFolders: z.object({}),
  /** Ids of the images whose file is gone (every image checked), by name. */
  missingImages: z.object({}),
  getImage: z.object({ id }),
  /** Removes images no triplet uses (one undoable step; files on disk untouched); `dryRun` says what it would do. */
  removeImages: z.object({
    selection: z.object({ search: z.string().max(1000).optional(), folder: z.string().max(4096).optional(), ids: z.array(id).min(1).max(200_000).optional() }),
    dryRun: z.boolean().optional(),
  }),
  // Triplets
  importTriplets: z.object({ file: path, split, skipInvalid: z.boolean().optional(), allowLeakage: z.boolean().optional() }),
  exportTriplets: z.object({ file: path, split }),
  listTriplets: z.object({
    split: split.optional(),
    status: z.enum(['active', 'excluded']).optional(),
    mispredicted: z.boolean().optional(),
    edited: z.boolean().optional(),
    imageId: id.optional(),
    runId: id.optional(),
    find: id.optional(),
    ...page,
  }),
  createTriplet: z.object({ split, anchorId: id, positiveId: id, negativeId: id, allowLeakage: z.boolean().optional() }),
  editTriplet: z.object({ id, edit: tripletEdit }),
  /** The user has checked triplets flagged because an image changed on disk. */
  clearTripletFlags: z.object({ ids: z.array(id).min(1).max(100_000) }),
  history: z.object({ ...page }),
  // confirmed: the step made from the command line the user said yes to undoing (such a step is
  // refused with CONFLICT, the step in details.madeElsewhere, unless named here).
  undo: z.object({ confirmed: id.optional() }),
  redo: z.object({ confirmed: id.optional() }),
  // Training and review
  backends: z.object({}),
  backbones: z.object({}),
  /** Installs a backbone's weights: from a file/folder the user has, else the Keras cache, else a download. */
  fetchBackbone: z.object({ id: z.string().min(1).max(100), from: path.optional() }),
  defaultTrainOptions: z.object({}),
  train: z.object({ options: trainOptionsSchema.partial() }),
  cancelJob: z.object({ jobId: z.string().min(1).max(100) }),
  runs: z.object({}),
  evaluate: z.object({ runId: id.optional() }),
  mistakes: z.object({ runId: id.optional() }),
  /** Review: how many train/test triplets were edited since a run (default latest finished) started. */
  fixesSince: z.object({ runId: id.optional() }),
  // Dialogs (Electron shows native ones; browser mode returns null and the UI asks for a path)
  /**
   * `typed`: the path the user typed in the fallback dialog; browser mode records it as picked and
   * returns it absolute; the desktop app opens its native dialog on it unless it was picked already.
   */
  /** `write`: the folder will be written into (a new project, an export); otherwise it is only read from. */
  pickFolder: z.object({ title: z.string().max(200).optional(), typed: path.optional(), write: z.boolean().optional() }),
  pickFile: z.object({ title: z.string().max(200).optional(), save: z.boolean().optional(), typed: path.optional() }),
  // Sessions that survive, pickers (s5-session)
  /** Running jobs with their last progress, epoch reports and options: a reloaded tab shows them again. */
  activeJobs: z.object({}),
  /** Why the most recent project could not be reopened at start (null: reopened, or none). */
  reopenNotice: z.object({}),
  /** Browser mode's folder browser: one folder's entries (absolute paths only; default the home folder). */
  listDir: z.object({ path: path.optional(), hidden: z.boolean().optional() }),
  /** Whether a path exists and what it is (export asks before overwriting). */
  pathInfo: z.object({ path }),
  /**
   * A file given as bytes (browser mode's drop zone), in order, up to 512 KiB per chunk (base64): kept
   * in the project's `received/` folder; the last chunk (`done`) replies with its path.
   */
  receiveFile: z.object({
    id: z.string().uuid().optional(),
    name: z.string().min(1).max(1000),
    offset: z.number().int().min(0),
    data: base64(700_000),
    done: z.boolean(),
  }),
  // Suggested triplets (active learning): a job (progress, cancelJob) that replies with the suggestions
  suggest: z.object({ count: z.number().int().min(1).max(1000).optional(), runId: id.optional() }),
  answerSuggestion: z.object({
    anchorId: id,
    positiveId: id,
    negativeId: id,
    answer: z.enum(SUGGESTION_ANSWERS),
    reason: z.enum(SUGGESTION_REASONS).optional(),
  }),
  // Label audit
  audit: z.object({
    options: z
      .object({
        folds: z.number().int().min(2).max(50).optional(),
        repeats: z.number().int().min(1).max(20).optional(),
        epochs: z.number().int().min(1).max(1000).optional(),
        seed: z.number().int().optional(),
        backbone: z.string().min(1).max(100).optional(),
      })
      .optional(),
  }),
  auditReport: z.object({}),
  // Similarity search (issue 8.1): an image of the project, an image file by path, or a dropped file's bytes (base64, ≤ 700 KB).
  similar: z.object({
    query: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('image'), id }),
      z.object({ kind: z.literal('file'), path }),
      z.object({ kind: z.literal('bytes'), base64: base64(SIMILAR_MAX_BASE64).min(1), name: z.string().max(1000).optional() }),
    ]),
    k: z.number().int().min(1).max(200).optional(),
    runId: id.optional(),
    raw: z.boolean().optional(),
  }),
  // What a run makes of a triplet being made (the triplet maker): null before any finished run.
  judgeTriplet: z.object({ anchorId: id, positiveId: id, negativeId: id, runId: id.optional() }),
  // Embedding map
  /** 2-D map of every image with features: cached, else a job (progress, cancelJob) replied when it ends. */
  mapProjection: z.object({
    method: z.enum(['pca', 'umap']),
    runId: id.optional(),
    source: z.enum(['features', 'run']).optional(),
    computeFeatures: z.boolean().optional(),
  }),
  // Using the model outside the app (issue 8.5): a job (progress, cancelJob) writing any of the three.
  /** A finished run as one ONNX file (image in, encoding out), the tfjs encoder (a folder) and/or every image's encoding (.csv or .npy). */
  exportRun: z.object({ runId: id, onnx: path.optional(), tfjs: path.optional(), encodings: path.optional() }),
  /** The checks exportRun makes of its targets before any work, alone: the Export dialog asks them before it asks about replacing. */
  checkExport: z.object({ runId: id, onnx: path.optional(), tfjs: path.optional(), encodings: path.optional() }),
  /** Runs deleted for good, with their model files (the app asks first). */
  deleteRuns: z.object({ ids: z.array(id).min(1).max(10_000) }),
  // Diagnostics: the log file unexpected errors go to (Help shows it), and an error the renderer caught
  // itself (a bug in the page), written there with its stack. Capped: the page is not trusted to be sane.
  diagnostics: z.object({}),
  reportRendererError: z.object({ where: z.string().max(200), message: z.string().max(2000), stack: z.string().max(8000).optional() }),
} as const satisfies Record<RequestName, z.ZodType>;

// Every name in channels.ts has a schema and no schema lacks a name.
type _SameNames = [keyof typeof REQUESTS] extends [RequestName] ? ([RequestName] extends [keyof typeof REQUESTS] ? true : never) : never;
const _sameNames: _SameNames = true;
void _sameNames;
export type RequestArgs<K extends RequestName> = z.input<(typeof REQUESTS)[K]>;

/** What each request resolves to. */
export interface Replies {
  createProject: ProjectInfo;
  openProject: ProjectInfo;
  closeProject: null;
  recentProjects: string[];
  projectInfo: ProjectInfo | null;
  importImages: { jobId: string };
  listImages: ImagePage;
  listFolders: string[];
  missingImages: number[];
  getImage: { image: ImageRecord; triplets: TripletRecord[] };
  importTriplets: TripletImportReport;
  exportTriplets: { file: string; count: number };
  listTriplets: TripletPage;
  createTriplet: TripletRecord;
  editTriplet: TripletRecord | null;
  clearTripletFlags: number;
  removeImages: ImageRemovalReport;
  history: HistoryEntry[];
  undo: HistoryEntry | null;
  redo: HistoryEntry | null;
  backends: BackendReport;
  backbones: BackboneInfo[];
  fetchBackbone: { jobId: string };
  defaultTrainOptions: z.output<typeof trainOptionsSchema>;
  train: { jobId: string };
  cancelJob: boolean;
  runs: RunSummary[];
  evaluate: EvaluateResult;
  mistakes: Mistake[];
  fixesSince: FixesSinceRun | null;
  pickFolder: string | null;
  pickFile: string | null;
  activeJobs: ActiveJob[];
  reopenNotice: string | null;
  listDir: DirListing;
  pathInfo: PathInfo;
  receiveFile: { id: string; path: string | null; received: number };
  suggest: SuggestResult;
  answerSuggestion: TripletRecord | null;
  audit: { jobId: string };
  auditReport: AuditReport | null;
  similar: SimilarReply;
  judgeTriplet: TripletJudgement | null;
  mapProjection: MapProjection;
  exportRun: RunExportReport;
  checkExport: null;
  deleteRuns: RunDeletion;
  diagnostics: { logFile: string };
  reportRendererError: null;
}

/** Events pushed from the main side to the renderer. */
export interface Events extends Record<EventName, unknown> {
  'job:progress': JobProgress;
  'job:done': { jobId: string; kind: JobProgress['kind']; result: unknown };
  'job:failed': { jobId: string; kind: JobProgress['kind']; error: IpcError; cancelled: boolean };
  /**
   * What changed: 'triplets' (labels, and so the edit history), 'history' (the edit history alone: a
   * removal of images, done, undone or redone, is a step but changes no triplet), 'images', 'runs',
   * 'backbones', or 'project' (another project is open: everything).
   */
  /**
   * `closed`: why the service closed the project by itself (its folder moved), to be said whichever
   * request found it. `readOnly`: why it reopened the project read-only (its folder stopped taking writes).
   */
  'project:changed': { what: 'images' | 'triplets' | 'history' | 'runs' | 'project' | 'backbones'; closed?: string; readOnly?: string };
  /** `dir`: the project folder, for 'open-recent' (File › Open Recent). */
  'menu:command': { command: MenuCommand; dir?: string };
  /** The service process died: requests in flight failed with SERVICE_CRASHED; `restarted` says whether a new one runs. */
  'service:crashed': { reason: string; restarted: boolean; reopened: string | null };
}

export type MenuCommand = 'new-project' | 'open-project' | 'open-recent' | 'import-images' | 'import-triplets' | 'export-triplets' | 'export-run' | 'remove-images' | 'undo' | 'redo';

/** Error codes the UI turns into words. */
export type ErrorCode =
  | 'BAD_ARGUMENTS'
  | 'UNKNOWN_CHANNEL'
  | 'FORBIDDEN'
  | 'NO_PROJECT'
  | 'NOT_FOUND'
  | 'INVALID_FILE'
  | 'CONFLICT'
  | 'MISSING_BACKBONE'
  | 'BUSY'
  | 'CANCELLED'
  /** The disk is full (or the quota used up): nothing of the step that met it was saved. */
  | 'DISK_FULL'
  /** The drive answered with an input/output error (failing, disconnected, full underneath): nothing of the step that met it was saved. */
  | 'DRIVE_ERROR'
  /** A reply too large (or impossible) to send over the transport. */
  | 'TOO_LARGE'
  /** The service process stopped while answering (it is restarted; see the service:crashed event). */
  | 'SERVICE_CRASHED'
  | 'INTERNAL';

export interface IpcError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Every reply on the wire: a discriminated result, never a thrown exception. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The API the renderer sees, identical in Electron (preload) and browser mode (WebSocket). */
export type StudioApi = {
  [K in RequestName]: (args: RequestArgs<K>) => Promise<Replies[K]>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** 'electron' or 'browser'. */
  readonly mode: 'electron' | 'browser';
};


// ---------- Browser-mode wire format (WebSocket at /ws, same contract as Electron IPC) ----------

export type WsClientMessage = { t: 'req'; id: number; name: RequestName; args: unknown };
export type WsServerMessage =
  | { t: 'res'; id: number; reply: Envelope<unknown> }
  | { t: 'evt'; name: EventName; payload: unknown };


/** Service methods: every request except the dialogs and the folder browser, which the host answers itself. */
export type ServiceRequestName = Exclude<RequestName, 'pickFolder' | 'pickFile' | 'listDir'>;
export type ServiceArgs<K extends RequestName> = z.output<(typeof REQUESTS)[K]>;
export type StudioServiceApi = {
  [K in ServiceRequestName]: (args: ServiceArgs<K>) => Promise<Replies[K]> | Replies[K];
};
