// Shared types: long jobs and their progress.
// No runtime imports: the renderer and the preload bundle it.

export type JobKind = 'import-images' | 'import-triplets' | 'embed' | 'train' | 'evaluate' | 'download' | 'suggest' | 'audit' | 'map' | 'export';

/** Progress of any long job; `total` may be 0 when unknown. */
export interface JobProgress {
  jobId: string;
  kind: JobKind;
  phase: string;
  done: number;
  total: number;
  /** Seconds remaining, when it can be estimated. */
  eta?: number;
  /** Items (`done` units: images, triplets…) per second since the phase began, when it can be estimated. */
  rate?: number;
  message?: string;
  /** Training only. */
  epoch?: number;
  batch?: number;
  loss?: number;
  valAccuracy?: number;
  /** An epoch's closing report (its mean loss and validation accuracy): never coalesced away by throttling. */
  keep?: boolean;
}

/** A running job as a reattaching client sees it (activeJobs): its last progress and epoch-closing reports. */
export interface ActiveJob {
  jobId: string;
  kind: JobKind;
  /** The last report (null before the first). */
  progress: JobProgress | null;
  /** Every report marked `keep` so far (training: one per finished epoch, with its loss and accuracy). */
  kept: JobProgress[];
  /** What started it (training: `options`, the run's options; `runId` once its row exists). */
  meta: Record<string, unknown>;
  /** Started by the app on its own (features for the similarity search): it gives way, so closing never asks about it. */
  yields?: true;
}
