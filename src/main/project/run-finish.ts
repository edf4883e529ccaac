// The last writes of a training run. The run scored the triplets as they were when it started (its
// snapshot); by the time it finishes the user may have swapped or deleted some. Predictions are stored
// for triplets that still exist, oriented like the current row (a swap exchanges dAP and dAN, as an
// edit does to stored predictions), so review stays consistent; the run's accuracy stays the snapshot's.
import type { EpochMetric, RunStatus, RunValidation } from '../../shared/types.js';
import { writeTransaction, type Db } from '../store/db.js';
import { commitPersistently, type PersistentCommitOptions } from './commit.js';

export interface SnapshotTriplet {
  id: number;
  line: number | null;
  a: number;
  p: number;
  n: number;
}

export interface RunTotals {
  backend: string;
  trainCount: number;
  valCount: number;
  testCount: number;
  bestEpoch: number;
  testAccuracy: number;
  baselineAccuracy: number;
  /** What the run's image-disjoint validation used. */
  validation: RunValidation;
}

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
  const epoch = db.prepare('INSERT INTO run_epochs (run_id, epoch, loss, val_loss, val_accuracy, seconds) VALUES (?, ?, ?, ?, ?, ?)');
  const pred = db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, ?, ?, ?)');
  const row = db.prepare('SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE id = ?');
  const write = () =>
    writeTransaction(db, () => {
      for (const e of epochs) epoch.run(runId, e.epoch, e.loss, e.valLoss, e.valAccuracy, e.seconds);
      for (const p of predictions) {
        const o = orientToCurrent(row.get(p.tripletId) as { a: number; p: number; n: number } | undefined, snapshot.get(p.tripletId)!, p);
        if (o) pred.run(runId, p.tripletId, o.dAP, o.dAN);
      }
      db.prepare(
        `UPDATE runs SET status = 'finished', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), backend = @backend, train_count = @trainCount,
         val_count = @valCount, test_count = @testCount, best_epoch = @bestEpoch, test_accuracy = @testAccuracy,
         baseline_accuracy = @baselineAccuracy, timings = @timings, model_dir = @modelDir, validation = @validation, pid = NULL WHERE id = @id`,
      ).run({ ...s, validation: JSON.stringify(s.validation), timings: JSON.stringify(timings), modelDir, id: runId });
    });
  return commitPersistently(db, write, opts);
}

/** Records a cancelled or failed run; waits up to a minute for a busy database (the row says 'running' otherwise, until the next open). */
export async function markRunEnded(db: Db, runId: number, status: RunStatus, error: string, timings: Record<string, number>): Promise<void> {
  const write = () =>
    db
      .prepare(`UPDATE runs SET status = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), error = ?, timings = ?, pid = NULL WHERE id = ?`)
      .run(status, error, JSON.stringify(timings), runId);
  await commitPersistently(db, write, { signal: AbortSignal.timeout(60_000) });
}
