// Shared types: triplets, their import report, queries, edits and the edit history.
// No runtime imports: the renderer and the preload bundle it.

export type Split = 'train' | 'test';

export const SPLITS = ['train', 'test'] as const satisfies readonly Split[];

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
  /** Of `added`, lines that repeat an earlier line of this same file: each kept as a triplet (export gives the file back), and said. */
  repeatedInFile: number;
  /** Lines refused as invalid: the first MAX_LISTED_ISSUES (see invalidCount for all). */
  invalid: TripletFileIssue[];
  /** True when the file was refused as a whole (store unchanged). */
  refused: boolean;
  /**
   * A refused file: the triplets an import of its good lines only would add (not blank, comment,
   * invalid, leaking, repeated or contradicting lines). 0 when no line of it can be added.
   */
  addable?: number;
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
  /**
   * Stored triplets of the other split that leak because of this import (its added lines use all three
   * of their images, which they did not before): kept as they are, and said. Absent when none.
   */
  completed?: number;
  /** Their ids (the first MAX_LISTED_ISSUES), in the other split's order. */
  completedIds?: number[];
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
  /** A triplet id: the reply says where it stands (`found`) and holds the page with it instead of `offset`'s. */
  find?: number;
}

export interface TripletPage {
  total: number;
  offset: number;
  items: TripletRecord[];
  /** With `find`: the triplet's index in the list, or null when the filters leave it out. */
  found?: number | null;
}

/** "keep": the labels are right, the model is wrong; "ambiguous": no clear answer (also excludes the triplet). */
export type ReviewDecision = 'keep' | 'ambiguous';

export type TripletEdit =
  /** positiveId: the positive the user saw; refused (CONFLICT) when it is not the positive now (changed elsewhere meanwhile). */
  | { kind: 'swap'; positiveId?: number }
  | { kind: 'exclude' }
  /** Back in; refused when it would leak across the split (allowLeakage: leak anyway). */
  | { kind: 'include'; allowLeakage?: boolean }
  /** Same as { kind: 'review', review: 'keep' }. */
  | { kind: 'keep' }
  | { kind: 'review'; review: ReviewDecision | null }
  /** To the other split; refused when it would duplicate, contradict or leak there (allowLeakage: leak anyway). */
  | { kind: 'move'; split: Split; allowLeakage?: boolean }
  | { kind: 'delete' }
  /** One image of the triplet replaced by another; refused when it would duplicate, contradict or leak (allowLeakage: leak anyway). */
  | { kind: 'replace'; role: TripletRole; imageId: number; allowLeakage?: boolean };

/** The three places of a triplet. */
export type TripletRole = 'anchor' | 'positive' | 'negative';

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
  /** Images a removal step took out (undo brings them back). */
  images?: number;
  /** Undone, then abandoned by a newer edit: redo will not bring it back. */
  discarded?: boolean;
  /** False for log-only entries (image imports) that undo and redo skip. */
  undoable?: boolean;
  /** What the step was about, in words (an import's file and split). */
  note?: string | null;
  /** A rejection step: the suggestion it answered (anchor and the pair, lower id first). */
  suggestion?: { anchorId: number; lo: number; hi: number };
  /** Made from the command line (absent: in the app, or before this was recorded): the app asks before undoing it. */
  madeBy?: 'cli';
  /** Undone from the command line (and not redone since): the app asks before redoing it. */
  undoneBy?: 'cli';
}
