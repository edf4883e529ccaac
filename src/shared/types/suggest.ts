// Shared types: suggested triplets (active learning) and the user's answers to them.
// No runtime imports: the renderer and the preload bundle it.

/**
 * Why a triplet was suggested: the model is unsure, an image close to the anchor is on the far side
 * of existing labels, an image is in no triplet yet, or it explores (an image the model finds alike
 * that no label ties to the anchor yet, against one it finds different).
 */
export const SUGGESTION_REASONS = ['uncertain', 'hard-negative', 'coverage', 'explore'] as const;
export type SuggestionReason = (typeof SUGGESTION_REASONS)[number];

/** A suggestion, as shown: the positive is the image the model finds closer to the anchor. */
export interface SuggestedTriplet {
  /** Image names, as in triplet files. */
  anchor: string;
  positive: string;
  negative: string;
  reason: SuggestionReason;
  anchorId: number;
  positiveId: number;
  negativeId: number;
  dAP: number;
  dAN: number;
  /** Estimated chance that exactly one of positive/negative is like the anchor (else only "reject" fits). */
  answerable: number;
}

export interface SuggestResult {
  /** The run whose encoder ranked the images; null when raw backbone features were used (no run yet). */
  runId: number | null;
  /** Images suggestions could use (not in any test triplet, with features). */
  pool: number;
  /** Images outside test triplets left out of the pool: no features (their files missing or unreadable). */
  withoutFeatures: number;
  suggestions: SuggestedTriplet[];
  /** Suggestions answered so far (accepted ones while their triplet exists). */
  answered: { accepted: number; swapped: number; rejected: number };
  /** How much of the pool the train triplets already decide. */
  coverage: LabelCoverage;
}

/** What the train triplets already decide about the images suggestions may use (ml/suggest/coverage.ts). */
export interface LabelCoverage {
  /** Images suggestions may use. */
  images: number;
  /** Of those, images in at least one train triplet. */
  inTriplets: number;
  /** Groups of two or more of those images that the positives chain together. */
  groups: number;
  /** Share of the images' pairs known alike (one group) or different (groups kept apart), 0–1. */
  decidedPairs: number;
  /** Nearly every pair decided and every image in a triplet: new labels will change the model little. */
  saturated: boolean;
  /** Few pairs decided (under 10%): triplets the user makes across each kind teach more than suggestions. */
  early: boolean;
}

/** A = labels right as shown, S = swap positive and negative, X = reject (never proposed again). */
export const SUGGESTION_ANSWERS = ['accept', 'swap', 'reject'] as const;
export type SuggestionAnswerKind = (typeof SUGGESTION_ANSWERS)[number];
