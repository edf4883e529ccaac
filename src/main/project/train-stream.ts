// A run's train triplets, snapshotted: in memory as columns (small sets, as before) or, for large
// sets, streamed into a run-scoped scratch store (store/scratch-triplets.ts) inside the run's read
// transaction, so neither this process nor the training worker ever holds every triplet and edits
// made while the run trains never reach it. The worker samples the scratch file read-only
// (ml/encoder/sources/sqlite.ts); the file is removed when the run ends, and a crashed run's file
// when the project next opens (removeStaleScratchFiles).
import { join } from 'node:path';
import type { LeftOutImage } from '../../shared/types.js';
import type { SqliteTriplets } from '../ml/encoder/sources/source.js';
import type { Db } from '../store/db.js';
import { copyActiveTriplets, createScratch, eachSnapChunk, openScratch, removeScratchFile, removeStaleScratch, scratchDirOf, trainWriter } from '../store/scratch-triplets.js';
import { activeTripletColumns, columnsOf, type TripletColumns } from '../store/triplet-columns.js';
import type { SnapshotTriplet } from '../store/triplets.js';
import { loadFeatures, type FeatureKey } from './features.js';
import { leftOutTally, tallyColumns } from './left-out.js';
import { processStartTime, sameProcessAlive } from './liveness.js';
import { prepareTraining, runImageIds, type PreparedTraining } from './train-input.js';

/**
 * Train triplets from which a run streams them from SQLite instead of holding them. Below it (the
 * shared sets' 1,200, everything the tests train) the packed array is small and trains bit for bit
 * as before. Above it memory stays flat in the triplet count (bench/train-stream.ts: what the source
 * holds, 74 → 105 MB in memory vs 60 → 49 MB streamed from 1M to 3M triplets), drawing an epoch
 * from SQLite costs what the in-memory shuffle does (32–37 vs 34–50 ms of a ~40 s epoch), and the
 * snapshot copy adds 1.4 s (1M) to 2.4 s (3M) before the first step: worth it from well below a
 * million. TRIPLET_STUDIO_STREAM_MIN_TRIPLETS overrides it (tests).
 */
export const STREAM_MIN_TRIPLETS = 50_000;

export function streamMinTriplets(): number {
  const env = Number(process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS);
  return Number.isInteger(env) && env > 0 ? env : STREAM_MIN_TRIPLETS;
}

/** The snapshot's train triplets, however they are held. */
export interface TrainSnapshot {
  source: 'memory' | 'sqlite';
  count: number;
  /** Distinct image ids of the train triplets and the test triplets. */
  imageIds(test: readonly SnapshotTriplet[]): number[];
  /** Features loaded, left-out recorded, triplets packed (memory) or written as feature rows (sqlite). */
  prepare(db: Db, key: FeatureKey, test: readonly SnapshotTriplet[], known: LeftOutImage[]): PreparedTraining & { sqlite?: SqliteTriplets };
  /** Releases the triplets (drops the columns, removes the scratch file). */
  dispose(): void;
}

/** Scratch files of this process's runs in progress (another process's are judged by its pid). */
const live = new Set<string>();
let made = 0;

/** The run's scratch file name: who made it (pid and its start time), so a crashed one is recognised. */
function scratchName(): string {
  return `train-${process.pid}-${processStartTime(process.pid) ?? 'x'}-${Date.now()}-${made++}.sqlite`;
}

/** Is the scratch file `name` in use: by one of our runs, or made by a process still alive? */
function isLiveScratch(name: string): boolean {
  if (live.has(name)) return true;
  const m = /^train-(\d+)-([^-]+)-/.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  return pid !== process.pid && sameProcessAlive(pid, m[2] === 'x' ? null : m[2]);
}

/** Removes scratch files left by runs that no longer train (a crash); returns how many. */
export function removeStaleScratchFiles(projectDir: string): number {
  return removeStaleScratch(projectDir, isLiveScratch);
}

/** The split's active train triplets: call inside the run's read transaction. */
export function snapshotTrain(db: Db, projectDir: string): TrainSnapshot {
  const total = db.prepare(`SELECT COUNT(*) FROM triplets WHERE split = 'train' AND status = 'active'`).pluck().get() as number;
  return total >= streamMinTriplets() ? scratchSnapshot(db, projectDir) : memorySnapshot(activeTripletColumns(db, 'train'));
}

function memorySnapshot(columns: TripletColumns): TrainSnapshot {
  let train: TripletColumns | null = columns;
  return {
    source: 'memory',
    count: columns.count,
    imageIds: (test) => runImageIds(train!, test),
    prepare(db, key, test, known) {
      const prepared = prepareTraining(db, key, train!, test, known);
      train = null; // the packed copy is all the run needs from here on
      return prepared;
    },
    dispose: () => void (train = null),
  };
}

function scratchSnapshot(db: Db, projectDir: string): TrainSnapshot {
  const name = scratchName();
  const file = join(scratchDirOf(projectDir), name);
  live.add(name);
  let count = 0;
  // The image ids are collected while copying (one pass over the snapshot, not two).
  const ids = new Set<number>();
  try {
    const scratch = createScratch(file);
    try {
      count = copyActiveTriplets(db, scratch, 'train', (a, p, n) => (ids.add(a), ids.add(p), ids.add(n)));
    } finally {
      scratch.close();
    }
  } catch (err) {
    (live.delete(name), removeScratchFile(file));
    throw err;
  }
  const imageIds = (test: readonly SnapshotTriplet[]) => {
    const all = new Set(ids);
    for (const t of test) (all.add(t.a), all.add(t.p), all.add(t.n));
    return [...all];
  };
  return {
    source: 'sqlite',
    count,
    imageIds,
    prepare: (pdb, key, test, known) => prepareFromScratch(pdb, key, file, imageIds(test), test, known),
    dispose: () => {
      live.delete(name);
      // A file still open elsewhere (Windows: a worker being terminated) is left to the next open's cleanup.
      try {
        removeScratchFile(file);
      } catch {
        /* removed as stale when the project next opens */
      }
    },
  };
}

/**
 * One pass over the scratch snapshot: counts what is left out, numbers the feature rows by first use
 * (as packTraining does) and writes the usable triplets as rows into `train` (one transaction);
 * then packs the rows' features. Returns an empty `triplets`: the worker reads them from the file.
 */
function prepareFromScratch(db: Db, key: FeatureKey, file: string, imageIds: number[], test: readonly SnapshotTriplet[], known: LeftOutImage[]): PreparedTraining & { sqlite: SqliteTriplets } {
  let features: Map<number, Float32Array> | null = loadFeatures(db, key, imageIds);
  const tally = leftOutTally(db, features, known);
  // Feature rows numbered by first use, as packTraining numbers them.
  const rows = new Map<number, number>();
  const order: number[] = [];
  const rowOf = (id: number): number => {
    let r = rows.get(id);
    if (r === undefined) (r = order.length), rows.set(id, r), order.push(id);
    return r;
  };
  let count = 0;
  const scratch = openScratch(file);
  try {
    const write = trainWriter(scratch);
    const has = features;
    scratch.transaction(() => {
      eachSnapChunk(scratch, (rows) => {
        for (const [, tid, line, a, p, n] of rows) {
          if (!has.has(a) || !has.has(p) || !has.has(n)) {
            tally.train.add(tid, line, a, p, n);
            continue;
          }
          write.add(rowOf(a), rowOf(p), rowOf(n));
        }
      });
      count = write.end();
    })();
  } finally {
    scratch.close();
  }
  tallyColumns(tally.test, columnsOf(test));
  const dim = features.values().next().value?.length ?? 0;
  const packed = new Float32Array(order.length * dim);
  order.forEach((id, row) => packed.set(features!.get(id)!, row * dim));
  features = null;
  return { count, dim, leftOut: tally.result(), packed: { features: packed, triplets: new Int32Array(0) }, sqlite: { path: file, count } };
}
