// Training runs: train an encoder on the active train triplets, score the active test triplets,
// and record everything (epochs, predictions, timings, model files) only when the run succeeds.
// A cancelled or failed run keeps its row (status cancelled/failed) but no predictions or model.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { trainOptionsSchema } from '../../shared/train-options.js';
import type { Distance, EpochMetric, EvaluateResult, Mistake, RunStatus, RunSummary, RunValidation, TrainOptions } from '../../shared/types.js';
import { isAbortError } from '../jobs/abort.js';
import { etaEstimator, type ProgressFn } from '../jobs/progress.js';
import {
  defaultTrainOptions,
  embedFeatures,
  isBackboneInstalled,
  l2normalize,
  loadEncoder,
  missingBackboneError,
  saveEncoder,
  scoreTriplets,
  trainEncoder,
  backboneSpec,
  type EncoderWeights,
} from '../ml/index.js';
import { readTransaction, writeTransaction, type Db } from '../store/db.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun, resolvePrep } from './features.js';
import { describeLeftOut } from '../../shared/left-out.js';
import { leftOutOf, recordRunInputs } from './left-out.js';
import { testTripletsAsImported } from './as-imported.js';
import { processStartTime, sameProcessAlive } from './liveness.js';
import { finishRun, markRunEnded, type SnapshotTriplet } from './run-finish.js';

type Triplet = [number, number, number];

type TestTriplet = SnapshotTriplet;

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface ScoredTriplet {
  tripletId: number;
  line: number | null;
  dAP: number;
  dAN: number;
  correct: boolean;
}

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

export const modelDirOf = (runId: number): string => `models/run-${runId}`;

function activeTriplets(db: Db, split: 'train' | 'test'): TestTriplet[] {
  return db
    .prepare(
      `SELECT id, line, anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`,
    )
    .all(split) as TestTriplet[];
}

function imageIdsOf(...lists: TestTriplet[][]): number[] {
  const ids = new Set<number>();
  for (const list of lists) for (const t of list) (ids.add(t.a), ids.add(t.p), ids.add(t.n));
  return [...ids];
}

/** Encoder embeddings of the given features (one matrix multiply chain, no dropout). */
export function embedAll(encoder: EncoderWeights, features: Map<number, Float32Array>): Map<number, Float32Array> {
  const ids = [...features.keys()];
  const out = new Map<number, Float32Array>();
  if (ids.length === 0) return out;
  const dim = features.get(ids[0])!.length;
  const rows = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => rows.set(features.get(id)!, i * dim));
  const emb = embedFeatures(encoder, rows, ids.length, dim);
  const e = emb.length / ids.length;
  ids.forEach((id, i) => out.set(id, emb.slice(i * e, (i + 1) * e)));
  return out;
}

function normalizedAll(features: Map<number, Float32Array>): Map<number, Float32Array> {
  return new Map([...features].map(([id, v]) => [id, l2normalize(v)]));
}

/** Scores triplets whose three images have vectors; the rest are left out. */
function score(vectors: Map<number, Float32Array>, triplets: TestTriplet[], kind: Distance): ScoredTriplet[] {
  const usable = triplets.filter((t) => vectors.has(t.a) && vectors.has(t.p) && vectors.has(t.n));
  const s = scoreTriplets(vectors, usable.map((t) => [t.a, t.p, t.n] as Triplet), kind);
  return usable.map((t, i) => ({ tripletId: t.id, line: t.line, dAP: s[i].dAP, dAN: s[i].dAN, correct: s[i].dAP < s[i].dAN }));
}

const accuracyOf = (s: ScoredTriplet[]): number => (s.length ? s.filter((x) => x.correct).length / s.length : 0);

function assertBackbone(id: string): void {
  backboneSpec(id);
  if (!isBackboneInstalled(id)) throw missingBackboneError(id);
}

/** Trains one run end to end; returns its summary. */
export async function trainRun(db: Db, projectDir: string, partial: Partial<TrainOptions>, opts: RunOptions = {}): Promise<RunSummary> {
  const options = resolveTrainOptions(partial);
  assertBackbone(options.backbone);
  // The preprocessing is recorded with the run's options (the backbone's default unless chosen).
  Object.assign(options, resolvePrep(options.backbone, { resize: options.resize, exif: options.exif }));
  const key = featureKey(options.backbone, prepOfRun(options));
  // The run's snapshot: ids and labels read in one transaction; edits made while it trains do not reach it.
  const { train, test } = readTransaction(db, () => ({ train: activeTriplets(db, 'train'), test: activeTriplets(db, 'test') }));
  if (train.length === 0) throw new AppError('BAD_ARGUMENTS', 'There are no active training triplets: import a train file first.');
  const runId = Number(
    db
      .prepare(`INSERT INTO runs (status, options, backend, pid, pid_start) VALUES ('running', ?, '', ?, ?)`)
      .run(JSON.stringify(options), process.pid, processStartTime(process.pid)).lastInsertRowid,
  );
  const rel = modelDirOf(runId);
  const tmpDir = join(projectDir, `${rel}.partial`);
  const timings: Record<string, number> = {};
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
      ensureFeatures(db, options.backbone, { imageIds: imageIdsOf(train, test), backend: options.backend, prep: key.prep, signal: opts.signal, onProgress: opts.onProgress }),
    );
    opts.signal?.throwIfAborted();
    const features = loadFeatures(db, key, imageIdsOf(train, test));
    const leftOut = leftOutOf(db, features, train, test, embedded.leftOut);
    recordRunInputs(db, runId, key, leftOut);
    const trainable = train.filter((t) => features.has(t.a) && features.has(t.p) && features.has(t.n));
    if (trainable.length === 0) throw new AppError('BAD_ARGUMENTS', `None of the ${train.length} train triplets can be used. ${describeLeftOut(leftOut)}`);
    const dim = features.values().next().value?.length ?? 0;
    const eta = etaEstimator();
    const enc = await timed('train', () =>
      trainEncoder({
        dim,
        features,
        train: trainable.map((t) => [t.a, t.p, t.n] as Triplet),
        options,
        signal: opts.signal,
        onRefitProgress: (done, total) => opts.onProgress?.({ phase: 'refit', done, total, eta: eta('refit', done, total) }),
        onProgress: (p) => {
          const done = (p.epoch - 1) * p.batches + p.batch;
          const total = p.epochs * p.batches;
          // An epoch's closing report (mean loss + that epoch's validation accuracy) is kept through throttling.
          const keep = p.valAccuracy !== undefined ? { keep: true } : {};
          opts.onProgress?.({ phase: 'train', done, total, eta: eta('train', done, total), epoch: p.epoch, batch: p.batch, loss: p.loss, valAccuracy: p.valAccuracy, ...keep });
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
    await timed('save', async () => {
      await rm(tmpDir, { recursive: true, force: true });
      await mkdir(tmpDir, { recursive: true });
      await saveEncoder(tmpDir, { ...enc }, options);
      await rename(tmpDir, join(projectDir, rel));
    });
    const summary = {
      backend: enc.backend,
      trainCount: enc.trainCount,
      valCount: enc.valCount,
      testCount: predictions.length,
      bestEpoch: enc.bestEpoch,
      testAccuracy: accuracyOf(predictions),
      baselineAccuracy: accuracyOf(baseline),
      validation: { heldImages: enc.valImages, triplets: enc.valCount, unused: enc.unusedCount } satisfies RunValidation,
    };
    try {
      const snapshot = new Map(test.map((t) => [t.id, t]));
      await finishRun(db, runId, summary, enc.epochs, predictions, snapshot, timings, rel, { signal: opts.signal, onProgress: opts.onProgress });
    } catch (err) {
      await rm(join(projectDir, rel), { recursive: true, force: true });
      throw err;
    }
    return getRun(db, runId)!;
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    const status: RunStatus = isAbortError(err) ? 'cancelled' : 'failed';
    const message = err instanceof Error ? err.message : String(err);
    await markRunEnded(db, runId, status, status === 'cancelled' ? 'Cancelled.' : message, timings).catch(() => undefined);
    throw err;
  }
}

interface RunRow {
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

function toSummary(db: Db, r: RunRow): RunSummary {
  const epochs = db
    .prepare('SELECT epoch, loss, val_loss AS valLoss, val_accuracy AS valAccuracy, seconds FROM run_epochs WHERE run_id = ? ORDER BY epoch')
    .all(r.id) as EpochMetric[];
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
    epochs,
    timings: JSON.parse(r.timings),
    error: r.error,
    preprocessing: r.preprocessing ?? null,
    weights: r.weights ?? null,
    leftOut: r.left_out ? JSON.parse(r.left_out) : null,
    validation: r.validation ? (JSON.parse(r.validation) as RunValidation) : null,
  };
}

export function listRuns(db: Db): RunSummary[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map((r) => toSummary(db, r));
}

export function getRun(db: Db, id: number): RunSummary | null {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return r ? toSummary(db, r) : null;
}

export function latestFinishedRunId(db: Db): number | null {
  return (db.prepare(`SELECT MAX(id) FROM runs WHERE status = 'finished'`).pluck().get() as number | null) ?? null;
}

/** The run to evaluate: the given one (must be finished) or the latest finished. */
function finishedRun(db: Db, runId?: number): RunRow {
  const id = runId ?? latestFinishedRunId(db);
  if (id === null) throw new AppError('NOT_FOUND', 'No finished training run yet: train a model first.');
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', `Run ${id} not found.`);
  if (r.status !== 'finished' || !r.model_dir) throw new AppError('NOT_FOUND', `Run ${id} did not finish (status ${r.status}).`);
  return r;
}

/** Loads a finished run's encoder (cached per project by the caller). */
export async function loadRunEncoder(projectDir: string, runId: number, modelDir: string): Promise<EncoderWeights> {
  const dir = join(projectDir, modelDir);
  if (!existsSync(join(dir, 'model.json'))) throw new AppError('NOT_FOUND', `The model files of run ${runId} are missing (${dir}).`);
  return loadEncoder(dir);
}

/**
 * Scores the current active test triplets with a finished run and replaces its stored predictions,
 * so label fixes made after training are reflected. Returns the scores in import order.
 */
export async function evaluateRun(
  db: Db,
  projectDir: string,
  runId: number | undefined,
  opts: RunOptions & { encoder?: (id: number, dir: string) => Promise<EncoderWeights>; readOnly?: boolean } = {},
): Promise<{ result: EvaluateResult; scored: ScoredTriplet[] }> {
  const run = finishedRun(db, runId);
  const options = JSON.parse(run.options) as TrainOptions;
  const { test, asImported } = readTransaction(db, () => ({ test: activeTriplets(db, 'test'), asImported: testTripletsAsImported(db) }));
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
    const pred = db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, ?, ?, ?)');
    writeTransaction(db, () => {
      db.prepare('DELETE FROM predictions WHERE run_id = ?').run(run.id);
      for (const p of scored) pred.run(run.id, p.tripletId, p.dAP, p.dAN);
    });
  }
  const result: EvaluateResult = {
    accuracy: accuracyOf(scored),
    baselineAccuracy: accuracyOf(baseline),
    count: scored.length,
    backend: run.backend,
    run: run.id,
    accuracyAsImported: accuracyOf(scoredAsImported),
    countAsImported: scoredAsImported.length,
  };
  if (opts.readOnly) result.readOnly = true;
  return { result, scored };
}

/** Mispredicted active test triplets of a run, worst first (largest dAP − dAN). */
export async function listMistakes(
  db: Db,
  projectDir: string,
  runId?: number,
  opts: RunOptions & { encoder?: (id: number, dir: string) => Promise<EncoderWeights>; readOnly?: boolean } = {},
): Promise<Mistake[]> {
  const run = finishedRun(db, runId);
  // Predictions are refreshed when some active test triplet has none (added or moved after training).
  const stale = db
    .prepare(
      `SELECT COUNT(*) FROM triplets t LEFT JOIN predictions p ON p.run_id = ? AND p.triplet_id = t.id
       WHERE t.split = 'test' AND t.status = 'active' AND p.triplet_id IS NULL`,
    )
    .pluck()
    .get(run.id) as number;
  if (stale > 0 && !opts.readOnly) await evaluateRun(db, projectDir, run.id, opts);
  return db
    .prepare(
      `SELECT t.id AS tripletId, t.line, t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative,
              t.anchor_id AS anchorId, t.positive_id AS positiveId, t.negative_id AS negativeId, p.d_ap AS dAP, p.d_an AS dAN,
              t.review
       FROM triplets t JOIN predictions p ON p.triplet_id = t.id AND p.run_id = ?
       WHERE t.split = 'test' AND t.status = 'active' AND p.d_ap >= p.d_an
       ORDER BY (p.d_ap - p.d_an) DESC, t.seq`,
    )
    .all(run.id) as Mistake[];
}

/** Marks runs left 'running' by a process that no longer exists as failed. */
export function failOrphanedRuns(db: Db): number {
  const rows = db.prepare(`SELECT id, pid, pid_start AS start FROM runs WHERE status = 'running'`).all() as { id: number; pid: number | null; start: string | null }[];
  const dead = rows.filter((r) => r.pid === null || !processAlive(r.pid, r.start));
  const mark = db.prepare(
    `UPDATE runs SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), error = 'Interrupted: the process training it ended.', pid = NULL WHERE id = ?`,
  );
  if (dead.length) writeTransaction(db, () => dead.forEach((r) => mark.run(r.id)));
  return dead.length;
}

function processAlive(pid: number, start: string | null): boolean {
  if (pid === process.pid) return false; // our own runs are tracked in memory; a row left running here is orphaned
  return sameProcessAlive(pid, start);
}
