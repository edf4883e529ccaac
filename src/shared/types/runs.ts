// Shared types: training options, runs, their metrics, left-out images, evaluation and mistakes.
// No runtime imports: the renderer and the preload bundle it.
import type { Distance, TrainBackendName } from './compute.js';
import type { ImageRecord } from './images.js';
import type { ReviewDecision } from './triplets.js';

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
  /** Steps (batches) per epoch: 0 = every triplet each epoch; absent = every triplet for small sets, fewer for large ones (ml/encoder/schedule.ts). */
  stepsPerEpoch?: number;
  /** Forced training backend (absent: the one measured fastest, ml/backend/train-choice.ts). */
  backend?: TrainBackendName;
  /** Image resize before the backbone: 'nearest' = Keras load_img (PIL NEAREST), 'antialias' = bilinear. Default: the backbone's. */
  resize?: 'nearest' | 'antialias';
  /** Use the EXIF-upright image (default: the backbone's; Keras ignores EXIF). */
  exif?: boolean;
  /**
   * Per epoch, this many × the training triplets more, drawn fresh from the triplets the labels imply:
   * images chained by positives form groups, held apart by negatives (ml/encoder/miners/). 0/absent: none (the default is 1: see ml/defaults.ts).
   */
  derived?: number;
}

export interface EpochMetric {
  epoch: number;
  loss: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
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
  /** Where training drew its triplets from (validation.tripletSource; null for runs from before it was recorded). */
  tripletSource?: 'memory' | 'sqlite' | null;
  /** A finished run on the test labels as they are now, from its stored predictions (null for other runs). */
  now?: RunScoreNow | null;
}

/** What deleting runs did: the runs (their numbers are never given again) and the bytes of model files freed. */
export interface RunDeletion {
  deleted: number[];
  bytes: number;
  /**
   * Model folders that could not be removed (the runs are deleted all the same; the next opening
   * tries again), or, `outside`, that are under a `models` link leading out of the project: never removed.
   */
  left?: { dir: string; reason: string; outside?: true }[];
}

/**
 * A run's test accuracy as stored is the one it scored at the end of training; labels fixed, added
 * or removed since make it a score on other labels. This is the same run on the labels as they are.
 */
export interface RunScoreNow {
  /** Share of `scored` it gets right (null when none is scored). */
  accuracy: number | null;
  /** Active test triplets with a stored prediction of the run. */
  scored: number;
  /** Active test triplets without one (added, moved to test, given another image, or one of whose photos changed on disk since): re-evaluating scores them. */
  unscored: number;
  /** The test labels differ from those `testAccuracy` was computed on (as far as the counts and scores show). */
  changed: boolean;
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
  /** Where training drew its triplets from: all in memory, or streamed from the run's SQLite scratch store (large sets). */
  tripletSource?: 'memory' | 'sqlite';
}

export interface EvaluateResult {
  /** Null when no test triplet could be scored (none active, or none with features). */
  accuracy: number | null;
  baselineAccuracy: number | null;
  count: number;
  /** Active test triplets it could not score: an image of each has no features (missing or unreadable file). */
  unscored: number;
  backend: string;
  run: number;
  /** Accuracy on the test labels as first imported (before any fix made in review), and how many it scored. */
  accuracyAsImported: number | null;
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
  /** The file the triplet was imported from (null for triplets made in the app). */
  file?: string | null;
}

/** Label edits made since a run took its snapshot (Review's "Retrain with my fixes"). */
export interface FixesSinceRun {
  run: number;
  /** Distinct triplets changed in (or moved into/out of) the train split since the run started. */
  train: number;
  /** Distinct test triplets changed since the run started. */
  test: number;
}

export interface Neighbour {
  image: ImageRecord;
  distance: number;
}
