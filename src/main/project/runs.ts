// Training runs, orchestration: train an encoder on the active train triplets, score the active
// test triplets, and record everything (epochs, predictions, timings, model files) only when the run
// succeeds. A cancelled or failed run keeps its row (status cancelled/failed) and the epochs it finished, but no predictions or
// model. The parts: run-rows.ts (summaries, orphans), run-scoring.ts (embeddings, distances,
// accuracy), run-evaluate.ts (re-scoring, mistakes), model-files.ts (the model folder),
// run-finish.ts (the final writes), SQL in store/runs.ts.
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { trainOptionsSchema } from '../../shared/train-options.js';
import type { EpochMetric, RunStatus, RunSummary, RunValidation, TrainOptions } from '../../shared/types.js';
import { isAbortError } from '../jobs/abort.js';
import { defaultTrainOptions, trainEncoder } from '../ml/index.js';
import { readTransaction, type Db } from '../store/db.js';
import { insertRunningRun, storeEpochNow } from '../store/runs.js';
import { scratchDirOf } from '../store/scratch-triplets.js';
import { activeTripletsOf, type SnapshotTriplet } from '../store/triplets.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun, resolvePrep } from './features.js';
import { snapshotTrain, type TrainSnapshot } from './train-stream.js';
import { describeLeftOut, MOVED_FOLDER_HINT } from '../../shared/left-out.js';
import { recordRunInputs } from './left-out.js';
import { processStartTime } from './liveness.js';
import { modelDirOf, partialDirOf, removeModelFolder, saveModelFolder } from './model-files.js';
import { finishRun, markRunEnded } from './run-finish.js';
import { assertBackbone, type RunOptions } from './run-evaluate.js';
import { getRun } from './run-rows.js';
import { accuracyOf, embedAll, imageIdsOf, normalizedAll, score } from './run-scoring.js';
import { assertStaysInside } from '../util/inside-on-drive.js';

// The parts, for callers that import them from here.
export { evaluateRun, listMistakes, type Evaluated, type RunOptions } from './run-evaluate.js';
export { failOrphanedRuns, getRun, latestFinishedRunId, listRuns, withOrphansShown } from './run-rows.js';
export { embedAll, type ScoredTriplet } from './run-scoring.js';
export { loadRunEncoder, modelDirOf } from './model-files.js';

/** Full options: defaults, then what the caller gave; validated like the IPC layer does. */
export function resolveTrainOptions(partial: Partial<TrainOptions> = {}): TrainOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const parsed = trainOptionsSchema.safeParse({ ...defaultTrainOptions(), ...defined });
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('BAD_ARGUMENTS', `Invalid training options: ${msg}`);
  }
  return parsed.data;
}

/** An epoch's closing progress report as the metric the run stores. */
function closedEpoch(p: { epoch: number; loss: number; valAccuracy?: number; valLoss?: number; seconds?: number }): EpochMetric {
  return { epoch: p.epoch, loss: p.loss, valLoss: p.valLoss ?? Number.NaN, valAccuracy: p.valAccuracy ?? Number.NaN, seconds: p.seconds ?? 0 };
}

/** Trains one run end to end; returns its summary. */
export async function trainRun(db: Db, projectDir: string, partial: Partial<TrainOptions>, opts: RunOptions = {}): Promise<RunSummary> {
  const options = resolveTrainOptions(partial);
  // Said before any work, not after minutes of training: the model and a large set's scratch store
  // would be written wherever a link there leads.
  assertStaysInside(projectDir, join(projectDir, 'models'), "a run's model");
  assertStaysInside(projectDir, scratchDirOf(projectDir), 'a training scratch store');
  assertBackbone(options.backbone);
  // The preprocessing is recorded with the run's options (the backbone's default unless chosen).
  Object.assign(options, resolvePrep(options.backbone, { resize: options.resize, exif: options.exif }));
  // The run's snapshot: ids and labels read in one transaction; edits made while it trains do not reach it.
  // Train triplets as columns (no object per triplet: a million take 20 MB) or, for a large set, copied into
  // the run's scratch store (train-stream.ts); test ones as objects (scored one by one).
  const { train, test } = readTransaction(db, () => ({ train: snapshotTrain(db, projectDir), test: activeTripletsOf(db, 'test') }));
  try {
    return await trainSnapshot(db, projectDir, options, train, test, opts);
  } finally {
    train.dispose(); // the scratch file goes whether the run finished, was cancelled or failed
  }
}

async function trainSnapshot(db: Db, projectDir: string, options: TrainOptions, train: TrainSnapshot, test: SnapshotTriplet[], opts: RunOptions): Promise<RunSummary> {
  const key = featureKey(options.backbone, prepOfRun(options));
  if (train.count === 0) throw new AppError('BAD_ARGUMENTS', 'There are no active training triplets: import a train file first.');
  const runId = insertRunningRun(db, JSON.stringify(options), process.pid, processStartTime(process.pid));
  const rel = modelDirOf(runId);
  const timings: Record<string, number> = {};
  // Epochs finished so far: a cancelled or failed run keeps them (its chart and table stay honest).
  const finishedEpochs: EpochMetric[] = [];
  const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0) / 1000;
    }
  };
  try {
    const embedded = await timed('features', () =>
      ensureFeatures(db, options.backbone, { imageIds: train.imageIds(test), backend: options.backend, prep: key.prep, signal: opts.signal, onProgress: opts.onProgress }),
    );
    opts.signal?.throwIfAborted();
    const prepared = train.prepare(db, key, test, embedded.leftOut);
    recordRunInputs(db, runId, key, prepared.leftOut);
    if (prepared.count === 0) {
      const moved = prepared.leftOut.images.some((i) => i.reason === 'missing file') ? ` ${MOVED_FOLDER_HINT}` : '';
      throw new AppError('BAD_ARGUMENTS', `None of the ${train.count} train triplets can be used. ${describeLeftOut(prepared.leftOut)}${moved}`);
    }
    const enc = await timed('train', () =>
      trainEncoder({
        dim: prepared.dim,
        packed: prepared.packed, // handed over to the worker (not copied)
        sqlite: prepared.sqlite, // large sets: the triplets stay in the run's scratch store
        options,
        signal: opts.signal,
        onRefitProgress: (done, total) => opts.onProgress?.({ phase: 'refit', done, total }),
        onProgress: (p) => {
          const done = (p.epoch - 1) * p.batches + p.batch;
          const total = p.epochs * p.batches;
          // An epoch's closing report (mean loss + that epoch's validation accuracy) is kept through throttling.
          const keep = p.valAccuracy !== undefined ? { keep: true } : {};
          if (p.valAccuracy !== undefined && p.valLoss !== undefined) {
            const e = closedEpoch(p);
            finishedEpochs.push(e);
            storeEpochNow(db, runId, e); // kept if the process dies before the run's end is written
          }
          opts.onProgress?.({ phase: 'train', done, total, epoch: p.epoch, batch: p.batch, loss: p.loss, valAccuracy: p.valAccuracy, ...keep });
        },
      }),
    );
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ phase: 'evaluate', done: 0, total: test.length });
    const { predictions, baseline } = await timed('evaluate', () => {
      const testFeatures = loadFeatures(db, key, imageIdsOf(test));
      return {
        predictions: score(embedAll(enc, testFeatures), test, options.distance),
        baseline: score(normalizedAll(testFeatures), test, options.distance),
      };
    });
    opts.onProgress?.({ phase: 'evaluate', done: test.length, total: test.length }); // the bar ends full, not at 0%
    await timed('save', () => saveModelFolder(projectDir, rel, enc, options, opts.inPlace));
    const summary = {
      backend: enc.backend,
      trainCount: enc.trainCount,
      valCount: enc.valCount,
      testCount: predictions.length,
      bestEpoch: enc.bestEpoch,
      testAccuracy: accuracyOf(predictions),
      baselineAccuracy: accuracyOf(baseline),
      validation: { heldImages: enc.valImages, triplets: enc.valCount, unused: enc.unusedCount, tripletSource: enc.tripletSource } satisfies RunValidation,
    };
    try {
      const snapshot = new Map(test.map((t) => [t.id, t]));
      await finishRun(db, runId, summary, enc.epochs, predictions, snapshot, timings, rel, { signal: opts.signal, onProgress: opts.onProgress });
    } catch (err) {
      await removeModelFolder(join(projectDir, rel));
      throw err;
    }
    return getRun(db, runId)!;
  } catch (err) {
    await removeModelFolder(partialDirOf(projectDir, rel));
    const status: RunStatus = isAbortError(err) ? 'cancelled' : 'failed';
    const message = err instanceof Error ? err.message : String(err);
    await markRunEnded(db, runId, status, status === 'cancelled' ? 'Cancelled.' : message, timings, finishedEpochs).catch(() => undefined);
    throw err;
  }
}
