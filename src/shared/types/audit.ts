// Shared types: the label audit (likely-wrong train triplets, contradictions, duplicate images,
// train/test leakage). No runtime imports: the renderer and the preload bundle it.
import type { Split, TripletStatus } from './triplets.js';

export interface AuditOptions {
  /** Cross-validation folds over the active train triplets (default 5). */
  folds?: number;
  /** Independent fold splits, each with its own seed, averaged (default 2). */
  repeats?: number;
  /** Epochs per fold model (default 8, more for a small train split: at least 120 optimiser steps per model). */
  epochs?: number;
  /** Seed of the fold split and of the models (default 1). */
  seed?: number;
  /** Backbone whose cached features are used (default: the default installed backbone). */
  backbone?: string;
}

/** A train triplet as the audit scored it, and what it is now. */
export interface AuditSuspect {
  /** Triplet id. */
  id: number;
  /** 1-based line in the file it was imported from (null for triplets made in the app). */
  line: number | null;
  file: string | null;
  /**
   * Mean held-out margin d(A,P) − d(A,N) of models that never trained on this triplet (unit
   * embeddings, l2: −2…2). Above 0 the models put the negative closer than the positive.
   */
  score: number;
  anchorId: number;
  positiveId: number;
  negativeId: number;
  anchor: string;
  positive: string;
  negative: string;
  /** The user said the labels are right ("keep"): listed after every other suspect. */
  kept: boolean;
  /** Current state, refreshed when the report is read again after edits. */
  status: TripletStatus | 'deleted';
  split: Split | null;
  /** Positive and negative are the other way round from when the audit ran. */
  swapped: boolean;
}

/** Two active triplets with the same anchor and positive/negative the other way round. */
export interface AuditContradiction {
  a: AuditTripletRef;
  b: AuditTripletRef;
}

export interface AuditTripletRef {
  id: number;
  split: Split;
  line: number | null;
  file: string | null;
  anchor: string;
  positive: string;
  negative: string;
}

export interface AuditImageRef {
  id: number;
  name: string;
  /** Active triplets using the image. */
  triplets: number;
}

/**
 * Images that are the same picture: 'paths' one image imported from several files, 'exact' several
 * images with byte-identical content (same sha256), 'near' features nearly equal (cosine distance
 * of the backbone features below the threshold; see project/audit-checks.ts).
 */
export interface AuditDuplicate {
  kind: 'paths' | 'exact' | 'near';
  images: AuditImageRef[];
  /** 'near': cosine distance between the two images' features. */
  distance?: number;
  /** 'paths': the files. */
  paths?: string[];
}

/** An active train triplet that leaks into test: the same triplet there, or all three images used by test triplets. */
export interface AuditLeak {
  triplet: AuditTripletRef;
  reason: string;
  /** The same triplet in test, when that is the reason. */
  other: AuditTripletRef | null;
}

export interface AuditReport {
  /** Every scored active train triplet, worst first (kept ones last). */
  suspects: AuditSuspect[];
  contradictions: AuditContradiction[];
  duplicates: AuditDuplicate[];
  leakage: AuditLeak[];
  /** How the scores were made. */
  method: { folds: number; repeats: number; epochs: number; seed: number; backbone: string; groupWeight: number; nearDuplicateDistance: number };
  /** Train triplets not scored because an image has no features (missing or undecodable file). */
  unscored: number;
  seconds: number;
  /** When the audit ran (ISO time). */
  at: string;
  /**
   * Set when the lists were cut for the app (see trimAuditReport): how many each had. The CLI's
   * --json always has them all.
   */
  totals?: { suspects: number; contradictions: number; duplicates: number; leakage: number };
}

/** At most this many entries of each list travel to the app (the worst suspects first). */
export const MAX_AUDIT_LISTED = 2000;
