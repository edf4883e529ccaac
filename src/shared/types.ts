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
  updated: number;
  skipped: SkippedFile[];
  seconds: number;
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
  invalid: TripletFileIssue[];
  /** True when the file was refused as a whole (store unchanged). */
  refused: boolean;
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

export type TripletEdit =
  | { kind: 'swap' }
  | { kind: 'exclude' }
  | { kind: 'include' }
  | { kind: 'keep' }
  | { kind: 'move'; split: Split }
  | { kind: 'delete' };

export interface HistoryEntry {
  id: number;
  at: string;
  tripletId: number;
  action: string;
  before: Partial<TripletRecord> | null;
  after: Partial<TripletRecord> | null;
  undone: boolean;
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
  /** What validation used (null for runs from before it was recorded). */
  validation?: RunValidation | null;
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
}
