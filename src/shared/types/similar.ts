// Similarity search (issue 8.1): the nearest images of an image of the project or of a file from outside.
import type { Distance } from './compute.js';
import type { Neighbour } from './runs.js';

/** A search's answer: the space searched and the neighbours, ascending by distance. */
export interface SimilarReply {
  /** The run whose encoder made the vectors; null = raw backbone features (L2 on L2-normalised features). */
  run: number | null;
  distance: Distance;
  /** Width of the vectors searched (an ensemble's joined embedding is members × embedding). */
  dim: number;
  backbone: string;
  neighbours: Neighbour[];
  /** Images of the project not searched because their features are not computed yet (or cannot be). */
  missing: number;
  /** The app's job computing those features (kind 'embed'), when one was started or is running; search again when it ends. */
  jobId?: string | null;
}

/** A dropped file sent as bytes: at most 700 KB (base64 is 4/3 of that), under browser mode's 1 MB socket message. */
export const SIMILAR_MAX_BYTES = 700 * 1024;

/**
 * What a finished run's encoder makes of a triplet before it is saved (the triplet maker, `judge`):
 * distances in the run's space and how training would take it. Triplets the model gets wrong or
 * holds inside the margin have a loss and teach it; one already right by the margin does not.
 */
export interface TripletJudgement {
  run: number;
  distance: Distance;
  margin: number;
  dAP: number;
  dAN: number;
  /** wrong: d(A,P) ≥ d(A,N); inside-margin: right, by less than the margin; learned: right by the margin or more (loss 0). */
  verdict: 'wrong' | 'inside-margin' | 'learned';
  /** The triplet loss max(d(A,P) − d(A,N) + margin, 0), as training computes it. */
  loss: number;
}
