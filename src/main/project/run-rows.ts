// Run summaries for the app and CLI, and the clean-up of runs whose process ended mid-run.
import type { RunSummary } from '../../shared/types.js';
import { writeTransaction, type Db } from '../store/db.js';
import { allRunRows, orphanMarker, runningRuns, runRow, toRunSummary } from '../store/runs.js';
import { sameProcessAlive } from './liveness.js';

export { latestFinishedRunId } from '../store/runs.js';

export function listRuns(db: Db): RunSummary[] {
  return allRunRows(db).map((r) => toRunSummary(db, r));
}

export function getRun(db: Db, id: number): RunSummary | null {
  const r = runRow(db, id);
  return r ? toRunSummary(db, r) : null;
}

/** Marks runs left 'running' by a process that no longer exists as failed. */
export function failOrphanedRuns(db: Db): number {
  const dead = runningRuns(db).filter((r) => r.pid === null || !processAlive(r.pid, r.start));
  const mark = orphanMarker(db);
  if (dead.length) writeTransaction(db, () => dead.forEach((r) => mark(r.id)));
  return dead.length;
}

function processAlive(pid: number, start: string | null): boolean {
  if (pid === process.pid) return false; // our own runs are tracked in memory; a row left running here is orphaned
  return sameProcessAlive(pid, start);
}
