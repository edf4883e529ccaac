// SQL for the runs table family: runs, run_epochs, predictions. Named queries for project/runs*.ts,
// run-finish.ts and left-out.ts; callers keep their transactions (writeTransaction/readTransaction).
import type { EpochMetric, Mistake, RunStatus, RunSummary, RunValidation } from '../../shared/types.js';
import type { Db } from './db.js';
import { SHOWN_NAMES } from './shown-names.js';

export interface RunRow {
  id: number;
  status: RunStatus;
  created_at: string;
  finished_at: string | null;
  options: string;
  backend: string;
  train_count: number;
  val_count: number;
  test_count: number;
  best_epoch: number | null;
  test_accuracy: number | null;
  baseline_accuracy: number | null;
  timings: string;
  model_dir: string | null;
  error: string | null;
  preprocessing?: string | null;
  weights?: string | null;
  left_out?: string | null;
  validation?: string | null;
}

/** The totals a finished run stores on its row. */
export interface FinishedRunRow {
  backend: string;
  trainCount: number;
  valCount: number;
  testCount: number;
  bestEpoch: number;
  /** Null when the run had no test triplet to score. */
  testAccuracy: number | null;
  baselineAccuracy: number | null;
  validation: RunValidation;
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;

/** A new run row, status running, owned by this process; returns its id (never one a deleted run had). */
export function insertRunningRun(db: Db, optionsJson: string, pid: number, pidStart: string | null): number {
  return Number(
    db
      .prepare(
        `INSERT INTO runs (id, status, options, backend, pid, pid_start)
         VALUES (1 + MAX(COALESCE((SELECT MAX(id) FROM runs), 0), COALESCE((SELECT MAX(id) FROM deleted_runs), 0)), 'running', ?, '', ?, ?)`,
      )
      .run(optionsJson, pid, pidStart).lastInsertRowid,
  );
}

/**
 * Deletes runs with what is stored for them (epochs and scores by cascade, their cached maps) and
 * keeps their numbers as taken. The caller holds the transaction and removes the model folders.
 */
export function deleteRunRows(db: Db, ids: readonly number[]): void {
  const tomb = db.prepare('INSERT OR IGNORE INTO deleted_runs (id) VALUES (?)');
  const maps = db.prepare('DELETE FROM map_projections WHERE source = ?');
  const row = db.prepare('DELETE FROM runs WHERE id = ?');
  for (const id of ids) (tomb.run(id), maps.run(`run:${id}`), row.run(id));
}

/** Numbers of deleted runs (a model folder of one is junk a crash left). */
export function deletedRunIds(db: Db): Set<number> {
  return new Set(db.prepare('SELECT id FROM deleted_runs').pluck().all() as number[]);
}

export function runRow(db: Db, id: number): RunRow | undefined {
  return db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function allRunRows(db: Db): RunRow[] {
  return db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[];
}

export function runEpochs(db: Db, runId: number): EpochMetric[] {
  return db.prepare('SELECT epoch, loss, val_loss AS valLoss, val_accuracy AS valAccuracy, seconds FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as EpochMetric[];
}

export function latestFinishedRunId(db: Db): number | null {
  return (db.prepare(`SELECT MAX(id) FROM runs WHERE status = 'finished'`).pluck().get() as number | null) ?? null;
}

/** A run row as the summary the app and CLI show. */
export function toRunSummary(db: Db, r: RunRow): RunSummary {
  return {
    id: r.id,
    status: r.status,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    options: JSON.parse(r.options),
    backend: r.backend,
    trainCount: r.train_count,
    valCount: r.val_count,
    testCount: r.test_count,
    bestEpoch: r.best_epoch,
    testAccuracy: r.test_accuracy,
    baselineAccuracy: r.baseline_accuracy,
    epochs: runEpochs(db, r.id),
    timings: JSON.parse(r.timings),
    error: r.error,
    preprocessing: r.preprocessing ?? null,
    weights: r.weights ?? null,
    leftOut: r.left_out ? JSON.parse(r.left_out) : null,
    validation: r.validation ? (JSON.parse(r.validation) as RunValidation) : null,
    tripletSource: r.validation ? ((JSON.parse(r.validation) as RunValidation).tripletSource ?? null) : null,
  };
}

/** Stores a run's feature key and left-out record (JSON). */
export function setRunInputs(db: Db, runId: number, preprocessing: string, weights: string, leftOutJson: string): void {
  db.prepare('UPDATE runs SET preprocessing = ?, weights = ?, left_out = ? WHERE id = ?').run(preprocessing, weights, leftOutJson, runId);
}

/** Statement storing one epoch's metrics (prepared once per finish); an epoch stored as it ended is replaced. */
export function epochInserter(db: Db): (runId: number, e: EpochMetric) => void {
  const st = db.prepare('INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, val_loss, val_accuracy, seconds) VALUES (?, ?, ?, ?, ?, ?)');
  return (runId, e) => void st.run(runId, e.epoch, e.loss, e.valLoss, e.valAccuracy, e.seconds);
}

/** A run's stored epochs go (a finished run then stores its own list as the record). */
export function deleteEpochs(db: Db, runId: number): void {
  db.prepare('DELETE FROM run_epochs WHERE run_id = ?').run(runId);
}

/**
 * Stores one epoch as it ends, so a run whose process dies (killed, a crash) keeps the epochs it
 * finished. Never waits for another process's write: waiting (up to the busy timeout) would stall the
 * run's progress events, and the run's last write stores every epoch anyway. False when skipped.
 */
export function storeEpochNow(db: Db, runId: number, e: EpochMetric): boolean {
  let waited: number | undefined;
  try {
    waited = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    db.transaction(() => epochInserter(db)(runId, e)).immediate();
    return true;
  } catch {
    // Busy (another writer), a drive that stopped taking writes, a value the table refuses (a NaN
    // loss is NULL to SQLite), a project closed meanwhile: skipped. This runs in a worker's message
    // handler, where a throw would end the process; the run's last write stores every epoch.
    return false;
  } finally {
    if (waited !== undefined) db.pragma(`busy_timeout = ${waited}`);
  }
}

/** Statement storing one prediction (prepared once per batch). */
export function predictionInserter(db: Db): (runId: number, tripletId: number, dAP: number, dAN: number) => void {
  const st = db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, ?, ?, ?)');
  return (runId, tripletId, dAP, dAN) => void st.run(runId, tripletId, dAP, dAN);
}

export function deletePredictions(db: Db, runId: number): void {
  db.prepare('DELETE FROM predictions WHERE run_id = ?').run(runId);
}

/** Marks a run finished with its totals, timings and model folder. */
export function setRunFinished(db: Db, runId: number, s: FinishedRunRow, timings: Record<string, number>, modelDir: string): void {
  db.prepare(
    `UPDATE runs SET status = 'finished', finished_at = ${NOW}, backend = @backend, train_count = @trainCount,
     val_count = @valCount, test_count = @testCount, best_epoch = @bestEpoch, test_accuracy = @testAccuracy,
     baseline_accuracy = @baselineAccuracy, timings = @timings, model_dir = @modelDir, validation = @validation, pid = NULL WHERE id = @id`,
  ).run({ ...s, validation: JSON.stringify(s.validation), timings: JSON.stringify(timings), modelDir, id: runId });
}

/** Marks a run cancelled or failed with its message. */
export function setRunEnded(db: Db, runId: number, status: RunStatus, error: string, timings: Record<string, number>): void {
  db.prepare(`UPDATE runs SET status = ?, finished_at = ${NOW}, error = ?, timings = ?, pid = NULL WHERE id = ?`).run(status, error, JSON.stringify(timings), runId);
}

/** Runs whose row says running, with the process that owns them. */
export function runningRuns(db: Db): { id: number; pid: number | null; start: string | null }[] {
  return db.prepare(`SELECT id, pid, pid_start AS start FROM runs WHERE status = 'running'`).all() as { id: number; pid: number | null; start: string | null }[];
}

/** Why a run whose process ended is failed. */
export const ORPHAN_ERROR = 'Interrupted: the process training it ended.';

/** Statement marking a run whose process ended as failed. */
export function orphanMarker(db: Db): (runId: number) => void {
  const st = db.prepare(`UPDATE runs SET status = 'failed', finished_at = ${NOW}, error = '${ORPHAN_ERROR}', pid = NULL WHERE id = ?`);
  return (runId) => void st.run(runId);
}

/** Active test triplets without a prediction of the run (added or moved after it scored). */
export function unscoredTestCount(db: Db, runId: number): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM triplets t LEFT JOIN predictions p ON p.run_id = ? AND p.triplet_id = t.id
       WHERE t.split = 'test' AND t.status = 'active' AND p.triplet_id IS NULL`,
    )
    .pluck()
    .get(runId) as number;
}

/**
 * Per run, the active test triplets it has a stored prediction for and how many of those it gets
 * right: its score on the test labels as they are now (predictions follow swaps and are dropped when
 * an image is replaced). `runId` limits it to one run.
 */
export function scoresOnCurrentLabels(db: Db, runId?: number): Map<number, { scored: number; correct: number }> {
  const rows = db
    .prepare(
      `SELECT p.run_id AS runId, COUNT(*) AS scored, SUM(p.d_ap < p.d_an) AS correct
       FROM predictions p JOIN triplets t ON t.id = p.triplet_id
       WHERE t.split = 'test' AND t.status = 'active' ${runId === undefined ? '' : 'AND p.run_id = @runId'}
       GROUP BY p.run_id`,
    )
    .all(runId === undefined ? {} : { runId }) as { runId: number; scored: number; correct: number }[];
  return new Map(rows.map((r) => [r.runId, { scored: r.scored, correct: r.correct }]));
}

/** Active test triplets now. */
export function activeTestCount(db: Db): number {
  return db.prepare(`SELECT COUNT(*) FROM triplets WHERE split = 'test' AND status = 'active'`).pluck().get() as number;
}

/** Mispredicted active test triplets of a run, worst first (largest dAP − dAN). */
export function mistakesOf(db: Db, runId: number): Mistake[] {
  return db
    .prepare(
      `SELECT t.id AS tripletId, t.line, ${SHOWN_NAMES},
              t.anchor_id AS anchorId, t.positive_id AS positiveId, t.negative_id AS negativeId, p.d_ap AS dAP, p.d_an AS dAN,
              t.review, f.path AS file
       FROM triplets t JOIN predictions p ON p.triplet_id = t.id AND p.run_id = ?
       LEFT JOIN triplet_files f ON f.id = t.file_id
       WHERE t.split = 'test' AND t.status = 'active' AND p.d_ap >= p.d_an
       ORDER BY (p.d_ap - p.d_an) DESC, t.seq`,
    )
    .all(runId) as Mistake[];
}

export function runCount(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
}

/** A run's model folder (null: none, the run did not finish). */
export function runModelDir(db: Db, runId: number): string | null {
  return (db.prepare('SELECT model_dir FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined) ?? null;
}

/** Every run's status and model folder, by id (which folders under models/ a run owns). */
export function runFolderStates(db: Db): Map<number, { status: RunStatus; modelDir: string | null }> {
  const rows = db.prepare('SELECT id, status, model_dir AS modelDir FROM runs').all() as { id: number; status: RunStatus; modelDir: string | null }[];
  return new Map(rows.map((r) => [r.id, { status: r.status, modelDir: r.modelDir }]));
}
