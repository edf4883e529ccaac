// Domain types shared by the engine (main side), the CLI, the IPC contract and the renderer.
// Keep this file free of runtime imports: the renderer and the preload bundle it.

export type Split = 'train' | 'test';
export const SPLITS = ['train', 'test'] as const satisfies readonly Split[];

export type Distance = 'l1' | 'l2' | 'cosine';
export const DISTANCES = ['l1', 'l2', 'cosine'] as const satisfies readonly Distance[];

/** Compute engines, in the order they are preferred at run time. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

export interface BackendStatus {
  name: BackendName;
  /** npm package that provides it. */
  pkg: string;
  available: boolean;
  /** Why it is not available (e.g. "not installed", "CUDA library not found"). */
  reason?: string;
  kind: 'GPU' | 'CPU' | 'WASM';
}

export interface BackendReport {
  /** The backend actually in use. */
  used: BackendName;
  statuses: BackendStatus[];
  /** Feature-extraction engines, preferred first (the first available one is used). */
  engines?: EngineStatus[];
}

export interface EngineStatus {
  name: 'onnxruntime' | 'tfjs-layers';
  available: boolean;
  /** Why it is not available. */
  reason?: string;
  detail?: string;
}

export interface BackboneInfo {
  id: string;
  label: string;
  inputSize: number;
  featureLayer: string;
  dim: number;
  preprocessing: string;
  /** Whether the weights were found in the backbones folder. */
  installed: boolean;
  /** Where the weights are (or would be) looked for. */
  path: string;
}

// ---------- Images ----------

export interface ImageRecord {
  id: number;
  /** Path relative to the imported folder, with forward slashes: the image's name. */
  name: string;
  basename: string;
  /** Folder part of `name` ('' for top level). */
  folder: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImageImportReport {
  added: number;
  unchanged: number;
  /** Files whose content changed since import: a new version of their image, its triplets flagged. */
  updated: number;
  /** Byte-identical to an image already in the project: recorded as another path of that image (`of`: its name). */
  duplicates: DuplicateFile[];
  skipped: SkippedFile[];
  /** Names of added images that a triplet file can only carry escaped (space, leading '#', tab, newline). */
  needsEscaping: string[];
  /** Triplets flagged because an image they use changed content. */
  flagged: number;
  seconds: number;
}

export interface DuplicateFile {
  path: string;
  of: string;
}

/** A triplet whose image changed content since it was labelled: the user should check it. */
export interface TripletFlag {
  tripletId: number;
  imageId: number;
  reason: string;
  flaggedAt: string;
}

export interface ImageQuery {
  search?: string;
  folder?: string;
  offset?: number;
  limit?: number;
}

export interface ImagePage {
  total: number;
  offset: number;
  items: ImageRecord[];
}

// ---------- Triplets ----------

export type TripletStatus = 'active' | 'excluded';

export interface TripletRecord {
  id: number;
  split: Split;
  anchorId: number;
  positiveId: number;
  negativeId: number;
  anchor: string;
  positive: string;
  negative: string;
  status: TripletStatus;
  origin: 'imported' | 'manual';
  /** 1-based line in the file it was imported from, if any. */
  line: number | null;
  /** Import/creation order within its split. */
  seq: number;
  edited: boolean;
  /** A reviewer decided the label is right even though the model disagrees ("keep"). */
  kept?: boolean;
  /** Why the triplet needs a look (an image it uses changed content), when flagged. */
  flag?: string;
  /** The reviewer's decision on the current labels (undoable; survives re-evaluation). */
  review?: ReviewDecision | null;
  /** Distances from the run that drives the review (listTriplets), when it scored this triplet. */
  dAP?: number | null;
  dAN?: number | null;
}

export interface TripletFileIssue {
  file: string;
  line: number;
  message: string;
  text?: string;
}

export interface TripletImportReport {
  file: string;
  split: Split;
  lines: number;
  added: number;
  duplicates: number;
  /** Lines refused as invalid: the first MAX_LISTED_ISSUES (see invalidCount for all). */
  invalid: TripletFileIssue[];
  /** True when the file was refused as a whole (store unchanged). */
  refused: boolean;
  /** Every invalid line, including those beyond the listed ones. */
  invalidCount: number;
  /** Lines not added because they repeat or contradict a stored triplet (first MAX_LISTED_ISSUES). */
  conflicts: TripletConflict[];
  conflictCount: number;
  /** Lines whose triplet is on the other side of the train/test split. */
  leakage: TripletLeakage;
}

/** At most this many entries of each list travel in a report (the counts say how many in all). */
export const MAX_LISTED_ISSUES = 1000;

/** A stored triplet a line of a file meets. */
export interface TripletRef {
  id: number;
  split: Split;
  anchor: string;
  positive: string;
  negative: string;
  status: TripletStatus;
  /** The file and line it came from, when imported. */
  file: string | null;
  line: number | null;
}

/**
 * Why a line was not added: it repeats a stored triplet, or the user changed that triplet since
 * (swapped, excluded, deleted, moved to the other split), or it contradicts one (positive and negative
 * the other way round).
 */
export type TripletConflictKind = 'repeat' | 'swapped' | 'excluded' | 'deleted' | 'moved' | 'contradicts';

export interface TripletConflict {
  file: string;
  line: number;
  text: string;
  kind: TripletConflictKind;
  /** The stored triplet (null for a deleted one that only history remembers: see reason). */
  triplet: TripletRef | null;
  reason: string;
}

export interface TripletLeakage {
  /** Lines whose triplet is the same as one of the other split, or whose three images all appear there. */
  triplets: number;
  /** Images named by this file's lines that triplets of the other split use too. */
  sharedImages: number;
  /** The leaking lines (first MAX_LISTED_ISSUES). */
  lines: TripletLeakLine[];
  /** True when they were imported anyway (allowLeakage). */
  allowed: boolean;
}

export interface TripletLeakLine {
  file: string;
  line: number;
  text: string;
  triplet: TripletRef | null;
  reason: string;
}

export interface TripletQuery {
  split?: Split;
  status?: TripletStatus;
  mispredicted?: boolean;
  edited?: boolean;
  imageId?: number;
  offset?: number;
  limit?: number;
  /** Run whose predictions drive the `mispredicted` filter (default: latest finished). */
  runId?: number;
}

export interface TripletPage {
  total: number;
  offset: number;
  items: TripletRecord[];
}

/** "keep": the labels are right, the model is wrong; "ambiguous": no clear answer (also excludes the triplet). */
export type ReviewDecision = 'keep' | 'ambiguous';

export type TripletEdit =
  | { kind: 'swap' }
  | { kind: 'exclude' }
  | { kind: 'include' }
  /** Same as { kind: 'review', review: 'keep' }. */
  | { kind: 'keep' }
  | { kind: 'review'; review: ReviewDecision | null }
  | { kind: 'move'; split: Split }
  | { kind: 'delete' };

/** One undoable step of the edit history (an edit, or a whole triplet import), newest first in lists. */
export interface HistoryEntry {
  id: number;
  at: string;
  /** The triplet a one-triplet step changed; null for an import step or a log entry. */
  tripletId: number | null;
  action: string;
  /** The triplet row before and after (one-triplet steps only). */
  before: Partial<TripletRecord> | null;
  after: Partial<TripletRecord> | null;
  undone: boolean;
  /** Triplets changed by the step (an import: all it added, undone and redone together). */
  count?: number;
  /** Undone, then abandoned by a newer edit: redo will not bring it back. */
  discarded?: boolean;
  /** False for log-only entries (image imports) that undo and redo skip. */
  undoable?: boolean;
  /** What the step was about, in words (an import's file and split). */
  note?: string | null;
}

// ---------- Training ----------

export interface TrainOptions {
  backbone: string;
  distance: Distance;
  margin: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
  hidden: number;
  embedding: number;
  /** Fraction of the training images held out: validation triplets use only those (best epoch selection). */
  validationSplit: number;
  /** L2 penalty on the dense kernels, added to the loss (0 or absent: none). */
  weightDecay?: number;
  /** Encoders trained side by side from different seeds; their embeddings are joined (default 1). */
  ensemble?: number;
  /** With validation: stop after this many epochs without a better validation score (0/absent: never). */
  patience?: number;
  /** With validation: after choosing the best epoch, train again on every train triplet for that many epochs and keep that model. */
  refit?: boolean;
  seed?: number;
  backend?: BackendName;
  /** Image resize before the backbone: 'nearest' = Keras load_img (PIL NEAREST), 'antialias' = bilinear. Default: the backbone's. */
  resize?: 'nearest' | 'antialias';
  /** Use the EXIF-upright image (default: the backbone's; Keras ignores EXIF). */
  exif?: boolean;
}

export interface EpochMetric {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export type JobKind = 'import-images' | 'import-triplets' | 'embed' | 'train' | 'evaluate' | 'download';

/** Progress of any long job; `total` may be 0 when unknown. */
export interface JobProgress {
  jobId: string;
  kind: JobKind;
  phase: string;
  done: number;
  total: number;
  /** Seconds remaining, when it can be estimated. */
  eta?: number;
  message?: string;
  /** Training only. */
  epoch?: number;
  batch?: number;
  loss?: number;
  valAccuracy?: number;
  /** An epoch's closing report (its mean loss and validation accuracy): never coalesced away by throttling. */
  keep?: boolean;
}

export type RunStatus = 'running' | 'finished' | 'cancelled' | 'failed';

export interface RunSummary {
  id: number;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
  options: TrainOptions;
  backend: string;
  trainCount: number;
  valCount: number;
  testCount: number;
  bestEpoch: number | null;
  testAccuracy: number | null;
  baselineAccuracy: number | null;
  epochs: EpochMetric[];
  timings: Record<string, number>;
  error: string | null;
  /** Feature-cache key of the run's features: preprocessing version (e.g. keras-nearest-v1) and weights fingerprint. */
  preprocessing?: string | null;
  weights?: string | null;
  /** Images and triplets the run could not use (null for runs from before this was recorded). */
  leftOut?: LeftOut | null;
  /** What validation used (null for runs from before it was recorded). */
  validation?: RunValidation | null;
}

/** Why an image has no features. */
export type LeftOutReason = 'undecodable' | 'missing file' | 'no features';

export interface LeftOutImage {
  id: number;
  name: string;
  reason: LeftOutReason;
  detail?: string;
}

/** What a run had to leave out; lists hold the first 1,000 entries, counts are complete. */
export interface LeftOut {
  imageCount: number;
  images: LeftOutImage[];
  trainCount: number;
  train: { id: number; line: number | null }[];
  testCount: number;
  test: { id: number; line: number | null }[];
}

/** Image-disjoint validation of a run: no image of a validation triplet is in a training triplet. */
export interface RunValidation {
  /** Training images held out. */
  heldImages: number;
  /** Validation triplets (all three images held out). */
  triplets: number;
  /** Training triplets used by neither side (they mix held-out and training images). */
  unused: number;
}

export interface EvaluateResult {
  accuracy: number;
  baselineAccuracy: number;
  count: number;
  backend: string;
  run: number;
  /** Accuracy on the test labels as first imported (before any fix made in review), and how many it scored. */
  accuracyAsImported: number;
  countAsImported: number;
  /** True when the project is read-only: the scores were computed but not stored. */
  readOnly?: boolean;
}

export interface Mistake {
  tripletId: number;
  /** 1-based line number in the imported test file (null for triplets made in the app). */
  line: number | null;
  anchor: string;
  positive: string;
  negative: string;
  anchorId: number;
  positiveId: number;
  negativeId: number;
  dAP: number;
  dAN: number;
  /** The reviewer's decision, kept across re-evaluation and restarts. */
  review?: ReviewDecision | null;
}

export interface Neighbour {
  image: ImageRecord;
  distance: number;
}

export interface ProjectInfo {
  dir: string;
  name: string;
  images: number;
  triplets: { train: number; test: number; excluded: number };
  runs: number;
  latestRun: number | null;
  /** Present and true when the project could only be opened for viewing and export. */
  readOnly?: boolean;
}
