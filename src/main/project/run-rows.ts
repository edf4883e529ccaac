// Run summaries for the app and CLI, and the clean-up of runs whose process ended mid-run.
import type { RunScoreNow, RunSummary } from '../../shared/types.js';
import { readTransaction, writeTransaction, type Db } from '../store/db.js';
import { activeTestCount, allRunRows, ORPHAN_ERROR, orphanMarker, runningRuns, runRow, scoresOnCurrentLabels, toRunSummary } from '../store/runs.js';
import { sameProcessAlive } from './liveness.js';

export { latestFinishedRunId } from '../store/runs.js';

export function listRuns(db: Db): RunSummary[] {
  return readTransaction(db, () => {
    const scores = scoresOnCurrentLabels(db);
    const tests = activeTestCount(db);
    return allRunRows(db).map((r) => withScoreNow(toRunSummary(db, r), scores.get(r.id), tests));
  });
}

export function getRun(db: Db, id: number): RunSummary | null {
  return readTransaction(db, () => {
    const r = runRow(db, id);
    return r ? withScoreNow(toRunSummary(db, r), scoresOnCurrentLabels(db, id).get(id), activeTestCount(db)) : null;
  });
}

/** Adds a finished run's score on the test labels as they are now (see RunScoreNow). */
function withScoreNow(run: RunSummary, s: { scored: number; correct: number } | undefined, tests: number): RunSummary {
  if (run.status !== 'finished') return { ...run, now: null };
  const scored = s?.scored ?? 0;
  const accuracy = scored ? s!.correct / scored : null;
  const unscored = Math.max(0, tests - scored);
  // Nothing scored is told apart by the counts; the stored accuracy counts a tie as wrong, as the SQL
  // does, and 1e-9 absorbs float noise only.
  const sameScore = accuracy === null || (run.testAccuracy !== null && Math.abs(accuracy - run.testAccuracy) < 1e-9);
  const now: RunScoreNow = { accuracy, scored, unscored, changed: unscored > 0 || scored !== run.testCount || !sameScore };
  return { ...run, now };
}

/**
 * A read-only project's runs as they are: one whose process ended mid-run cannot be marked failed in
 * the file, so it is shown as failed here (the next writable open records it) instead of running forever.
 */
export function withOrphansShown(db: Db, runs: RunSummary[]): RunSummary[] {
  const dead = new Set(deadRuns(db).map((r) => r.id));
  return dead.size ? runs.map((r) => (dead.has(r.id) ? { ...r, status: 'failed' as const, error: ORPHAN_ERROR } : r)) : runs;
}

/** Marks runs left 'running' by a process that no longer exists as failed. */
export function failOrphanedRuns(db: Db): number {
  const dead = deadRuns(db);
  const mark = orphanMarker(db);
  if (dead.length) writeTransaction(db, () => dead.forEach((r) => mark(r.id)));
  return dead.length;
}

/** Runs whose row says running while the process that owns them has ended. */
function deadRuns(db: Db): { id: number }[] {
  return runningRuns(db).filter((r) => r.pid === null || !processAlive(r.pid, r.start));
}

/** Runs being trained now: in this process, or in another one still alive. */
export function liveRunIds(db: Db): Set<number> {
  return new Set(runningRuns(db).filter((r) => r.pid === process.pid || (r.pid !== null && processAlive(r.pid, r.start))).map((r) => r.id));
}

function processAlive(pid: number, start: string | null): boolean {
  if (pid === process.pid) return false; // our own runs are tracked in memory; a row left running here is orphaned
  return sameProcessAlive(pid, start);
}
