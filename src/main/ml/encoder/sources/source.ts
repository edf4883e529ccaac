// Where a fit's triplets come from (fit.ts). Two sources: the packed Int32Array in memory (every set
// below the streaming threshold, trained exactly as before: memory.ts) and a run-scoped SQLite file
// for large sets, which never holds every triplet (sqlite.ts). Both answer the same two questions:
// the image hold-out (what trains, what validates) and, once the initial weights' seed is drawn,
// the plan of the epochs.
import type { EpochPlan } from '../schedule.js';
import type { EpochTriplets } from '../miners/epochs.js';

export type TripletSourceKind = 'memory' | 'sqlite';

/** The hold-out of a source (holdout.ts's ImageHoldout, as counts) and what each epoch scores. */
export interface SourceSplit {
  kind: TripletSourceKind;
  trainCount: number;
  valCount: number;
  unused: number;
  heldImages: number;
  /** True when validation triplets were held out (else the score is on training triplets, last epoch kept). */
  validating: boolean;
  /** The epochs' plan and what they score; `initSeed` seeds the draws of implied triplets (and the SQLite samples). */
  planner(initSeed: number): SourcePlan;
  /** Releases what the source opened (the SQLite file). */
  close(): void;
}

export interface SourcePlan {
  plan: EpochPlan;
  planEpoch: (rand: () => number) => EpochTriplets;
  /** The triplets each epoch's score is computed on: rows [a, p, n, …] and which of them. */
  evalTriplets: Int32Array;
  evalIdx: Int32Array;
}

/** A scratch store of the run's usable train triplets as feature rows (store/scratch-triplets.ts). */
export interface SqliteTriplets {
  /** The scratch file; opened read-only by the training worker. */
  path: string;
  /** Rows of its `train` table (rowid 1…count); the fit's feature rows are exactly the rows these triplets use. */
  count: number;
}
