// Review's "Retrain with my fixes": which label edits came after a run took its snapshot of the
// triplets. Edits to train triplets change what a new run would learn; edits to test triplets only
// change its score (Re-evaluate shows that without training).
import type { FixesSinceRun } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { tripletsChangedSince } from '../store/history.js';
import { latestFinishedRunId, runRow } from '../store/runs.js';

/** Counts for the given run, else the latest finished one; null when there is none. */
export function fixesSinceRun(db: Db, runId?: number): FixesSinceRun | null {
  const id = runId ?? latestFinishedRunId(db);
  const run = id === null ? undefined : runRow(db, id);
  if (!run) return null;
  return { run: run.id, train: tripletsChangedSince(db, run.created_at, 'train'), test: tripletsChangedSince(db, run.created_at, 'test') };
}
