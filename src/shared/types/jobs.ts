// Shared types: long jobs and their progress.
// No runtime imports: the renderer and the preload bundle it.

export type JobKind = 'import-images' | 'import-triplets' | 'embed' | 'train' | 'evaluate' | 'download' | 'map';

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
