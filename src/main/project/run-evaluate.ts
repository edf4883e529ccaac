// Re-scoring a finished run on the current labels (after review fixes) and on the labels as first
// imported, and listing its mistakes. Predictions are replaced in one transaction.
import { AppError } from '../../shared/errors.js';
import type { EvaluateResult, Mistake, TrainOptions } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { backboneSpec, isBackboneInstalled, missingBackboneError, type EncoderWeights } from '../ml/index.js';
import { readTransaction, writeTransaction, type Db } from '../store/db.js';
import { deletePredictions, latestFinishedRunId, mistakesOf, predictionInserter, runRow, unscoredTestCount, type RunRow } from '../store/runs.js';
import { activeTripletsOf } from '../store/triplets.js';
import { testTripletsAsImported } from '../triplets/as-imported.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun } from './features.js';
import { loadRunEncoder } from './model-files.js';
import { accuracyOf, embedAll, imageIdsOf, normalizedAll, score, type ScoredTriplet } from './run-scoring.js';

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Whether the project is still this store at its path (Project.inPlace): checked before the model is saved. */
  inPlace?: () => boolean;
}

export type EvaluateOptions = RunOptions & { encoder?: (id: number, dir: string) => Promise<EncoderWeights>; readOnly?: boolean };

/** Refuses an unknown backbone, or one whose weights are not installed. */
export function assertBackbone(id: string): void {
  backboneSpec(id);
  if (!isBackboneInstalled(id)) throw missingBackboneError(id);
}

/** The run to evaluate: the given one (must be finished) or the latest finished. */
function finishedRun(db: Db, runId?: number): RunRow {
  const id = runId ?? latestFinishedRunId(db);
  if (id === null) throw new AppError('NOT_FOUND', 'No finished training run yet: train a model first.');
  const r = runRow(db, id);
  if (!r) throw new AppError('NOT_FOUND', `Run ${id} not found.`);
  if (r.status !== 'finished' || !r.model_dir) throw new AppError('NOT_FOUND', `Run ${id} did not finish (status ${r.status}).`);
  return r;
}

/** A run's scores: the result, the scored triplets, and every active test triplet's id in import order (scored or not). */
export interface Evaluated {
  result: EvaluateResult;
  scored: ScoredTriplet[];
  order: number[];
}

/**
 * Scores the current active test triplets with a finished run and replaces its stored predictions,
 * so label fixes made after training are reflected. Returns the scores in import order.
 */
export async function evaluateRun(db: Db, projectDir: string, runId: number | undefined, opts: EvaluateOptions = {}): Promise<Evaluated> {
  const run = finishedRun(db, runId);
  const options = JSON.parse(run.options) as TrainOptions;
  const { test, asImported } = readTransaction(db, () => ({ test: activeTripletsOf(db, 'test'), asImported: testTripletsAsImported(db) }));
  const imageIds = imageIdsOf(test, asImported);
  const key = featureKey(options.backbone, prepOfRun(options));
  if (!opts.readOnly) {
    assertBackbone(options.backbone);
    await ensureFeatures(db, options.backbone, { imageIds, backend: options.backend, prep: key.prep, signal: opts.signal, onProgress: opts.onProgress });
  }
  const encoder = await (opts.encoder ?? ((id, dir) => loadRunEncoder(projectDir, id, dir)))(run.id, run.model_dir!);
  const features = loadFeatures(db, key, imageIds); // read-only: the cached features only
  const vectors = embedAll(encoder, features);
  const scored = score(vectors, test, options.distance);
  const scoredAsImported = score(vectors, asImported, options.distance);
  const baseline = score(normalizedAll(features), test, options.distance);
  if (!opts.readOnly) {
    const pred = predictionInserter(db);
    writeTransaction(db, () => {
      // Deleted while it was scored (another window, the CLI): nothing to store, once for the batch.
      if (!runRow(db, run.id)) return;
      deletePredictions(db, run.id);
      for (const p of scored) pred(run.id, p.tripletId, p.dAP, p.dAN);
    });
  }
  const result: EvaluateResult = {
    accuracy: accuracyOf(scored),
    baselineAccuracy: accuracyOf(baseline),
    count: scored.length,
    unscored: test.length - scored.length,
    backend: run.backend,
    run: run.id,
    accuracyAsImported: accuracyOf(scoredAsImported),
    countAsImported: scoredAsImported.length,
  };
  if (opts.readOnly) result.readOnly = true;
  return { result, scored, order: test.map((t) => t.id) };
}

/** Mispredicted active test triplets of a run, worst first (largest dAP − dAN). */
export async function listMistakes(db: Db, projectDir: string, runId?: number, opts: EvaluateOptions = {}): Promise<Mistake[]> {
  const run = finishedRun(db, runId);
  // Predictions are refreshed when some active test triplet has none (added or moved after training).
  if (unscoredTestCount(db, run.id) > 0 && !opts.readOnly) await evaluateRun(db, projectDir, run.id, opts);
  return mistakesOf(db, run.id);
}
