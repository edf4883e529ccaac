// The last writes of a training run. The run scored the triplets as they were when it started (its
// snapshot); by the time it finishes the user may have swapped or deleted some. Predictions are stored
// for triplets that still exist, oriented like the current row (a swap exchanges dAP and dAN, as an
// edit does to stored predictions), so review stays consistent; the run's accuracy stays the snapshot's.
import type { EpochMetric, RunStatus } from '../../shared/types.js';
import { writeTransaction, type Db } from '../store/db.js';
import { deleteEpochs, epochInserter, predictionInserter, setRunEnded, setRunFinished, type FinishedRunRow } from '../store/runs.js';
import { tripletImagesReader, type SnapshotTriplet } from '../store/triplets.js';
import { commitPersistently, type PersistentCommitOptions } from './commit.js';

export type { SnapshotTriplet };

/** The totals a finished run stores (store/runs.ts). */
export type RunTotals = FinishedRunRow;

export interface ScoredPrediction {
  tripletId: number;
  dAP: number;
  dAN: number;
}

/** A prediction re-oriented to the triplet's current row; null when the triplet is gone or now names other images. */
export function orientToCurrent(
  current: { a: number; p: number; n: number } | undefined,
  snap: SnapshotTriplet,
  pred: ScoredPrediction,
): { dAP: number; dAN: number } | null {
  if (!current || current.a !== snap.a) return null;
  if (current.p === snap.p && current.n === snap.n) return { dAP: pred.dAP, dAN: pred.dAN };
  if (current.p === snap.n && current.n === snap.p) return { dAP: pred.dAN, dAN: pred.dAP };
  return null;
}

/** All final writes of a successful run in one transaction, retried while another process holds the lock. */
export function finishRun(
  db: Db,
  runId: number,
  s: RunTotals,
  epochs: EpochMetric[],
  predictions: ScoredPrediction[],
  snapshot: Map<number, SnapshotTriplet>,
  timings: Record<string, number>,
  modelDir: string,
  opts: PersistentCommitOptions,
): Promise<void> {
  const epoch = epochInserter(db);
  const pred = predictionInserter(db);
  const current = tripletImagesReader(db);
  const write = () =>
    writeTransaction(db, () => {
      deleteEpochs(db, runId); // those stored as they ended: the finished list is the record
      for (const e of epochs) epoch(runId, e);
      for (const p of predictions) {
        const o = orientToCurrent(current(p.tripletId), snapshot.get(p.tripletId)!, p);
        if (o) pred(runId, p.tripletId, o.dAP, o.dAN);
      }
      setRunFinished(db, runId, s, timings, modelDir);
    });
  return commitPersistently(db, write, opts);
}

/**
 * Records a cancelled or failed run with the epochs it finished (one transaction); waits up to a
 * minute for a busy database (the row says 'running' otherwise, until the next open).
 */
export async function markRunEnded(db: Db, runId: number, status: RunStatus, error: string, timings: Record<string, number>, epochs: EpochMetric[] = []): Promise<void> {
  const epoch = epochInserter(db);
  const write = () =>
    writeTransaction(db, () => {
      for (const e of epochs) epoch(runId, e);
      setRunEnded(db, runId, status, error, timings);
    });
  await commitPersistently(db, write, { signal: AbortSignal.timeout(60_000) });
}
