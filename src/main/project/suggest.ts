// Suggested triplets for a project: rank the images with a run's encoder (default the latest
// finished run) or, before any run, the raw backbone features; propose triplets to label
// (ml/suggest); record the user's answers. Images of test triplets are never used, rejected
// suggestions and stored triplets never come back, accepted ones become undoable train triplets.
import { AppError } from '../../shared/errors.js';
import type { SuggestionAnswerKind, SuggestionReason, SuggestResult, TripletRecord } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { defaultBackbone, type EncoderWeights } from '../ml/index.js';
import { rankSuggestions } from '../ml/suggest/rank.js';
import { tripletKey } from '../ml/suggest/suggest.js';
import type { Db } from '../store/db.js';
import { imageCount, imageNameReader } from '../store/images.js';
import { answerCounts, answerOf, putAnswer, rejectedAnswers, storedTriples, testImageIds } from '../store/suggestions.js';
import { recordRejection } from '../triplets/history.js';
import { activeTripletsOf } from '../store/triplets.js';
import * as store from '../triplets/store.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun } from './features.js';
import { getRun, latestFinishedRunId } from './run-rows.js';
import { embedAll, normalizedAll } from './run-scoring.js';

export interface SuggestOptions {
  count?: number;
  runId?: number;
  seed?: number;
  readOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export const DEFAULT_SUGGEST_COUNT = 100;
export const MAX_SUGGEST_COUNT = 1000;

/** Up to `count` suggestions (default 100), best first. */
export async function suggestForProject(db: Db, encoderOf: (runId: number) => Promise<EncoderWeights>, opts: SuggestOptions = {}): Promise<SuggestResult> {
  const count = opts.count ?? DEFAULT_SUGGEST_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SUGGEST_COUNT) throw new AppError('BAD_ARGUMENTS', `--count must be between 1 and ${MAX_SUGGEST_COUNT}.`);
  const rid = opts.runId ?? latestFinishedRunId(db);
  const run = rid !== null ? getRun(db, rid) : null;
  if (opts.runId !== undefined && run?.status !== 'finished') throw new AppError('NOT_FOUND', `Run ${opts.runId} is not a finished run.`);
  const backbone = run?.options.backbone ?? defaultBackbone();
  const key = featureKey(backbone, run ? prepOfRun(run.options) : {});
  if (!opts.readOnly) await ensureFeatures(db, backbone, { signal: opts.signal, onProgress: opts.onProgress, backend: run?.options.backend, prep: key.prep });
  opts.signal?.throwIfAborted();
  const features = loadFeatures(db, key);
  const testImages = testImageIds(db);
  const pool = [...features.keys()].filter((id) => !testImages.has(id));
  const vectors = run ? embedAll(await encoderOf(run.id), features) : normalizedAll(features);
  const train = activeTripletsOf(db, 'train').map((t) => [t.a, t.p, t.n] as [number, number, number]);
  const skip = new Set([...storedTriples(db), ...rejectedAnswers(db).map((r) => [r.anchor, r.lo, r.hi] as const)].map(([a, x, y]) => tripletKey(a, x, y)));
  // Ranked in a worker thread (progress, cancel), so the service thread stays free.
  const { suggestions: found, coverage } = await rankSuggestions(
    { pool, vectors, distance: run?.options.distance ?? 'l2', margin: run?.options.margin, train, skip, count, seed: opts.seed },
    { signal: opts.signal, onProgress: (done, total) => opts.onProgress?.({ phase: 'suggest', done, total }) },
  );
  const nameOf = imageNameReader(db);
  return {
    runId: run?.id ?? null,
    pool: pool.length,
    withoutFeatures: imageCount(db) - testImages.size - pool.length,
    suggestions: found.map((s) => ({
      anchor: nameOf(s.anchor)!,
      positive: nameOf(s.positive)!,
      negative: nameOf(s.negative)!,
      reason: s.reason,
      anchorId: s.anchor,
      positiveId: s.positive,
      negativeId: s.negative,
      dAP: s.dAP,
      dAN: s.dAN,
      answerable: s.answerable,
    })),
    answered: answerCounts(db),
    coverage,
  };
}

export interface SuggestionAnswerArgs {
  anchorId: number;
  positiveId: number;
  negativeId: number;
  answer: SuggestionAnswerKind;
  reason?: SuggestionReason;
}

/**
 * Records the answer to a suggestion shown as (anchor, positive, negative), in one transaction:
 * accept → train triplet as shown, swap → with positive and negative swapped (both one undoable
 * "create" step in the history), reject → remembered, never suggested again (an undoable step too).
 * Returns the triplet made.
 */
export function answerSuggestion(db: Db, args: SuggestionAnswerArgs): TripletRecord | null {
  const { anchorId: a, positiveId: p, negativeId: n, answer } = args;
  return db.transaction(() => {
    if (answer === 'reject') {
      if (new Set([a, p, n]).size !== 3) throw new AppError('BAD_ARGUMENTS', 'A triplet needs three different images.');
      // A suggestion shown before one of its images was removed from the project.
      const nameOf = imageNameReader(db);
      const gone = [a, p, n].find((id) => nameOf(id) === undefined);
      if (gone !== undefined) throw new AppError('NOT_FOUND', `Image ${gone} is no longer in the project (removed since this suggestion was made).`);
      const before = answerOf(db, a, p, n);
      putAnswer(db, a, p, n, 'rejected', args.reason ?? null, null);
      // An undoable step: Ctrl+Z after X brings the suggestion back (it undid an earlier, unrelated step).
      recordRejection(db, before, answerOf(db, a, p, n)!, `rejected: ${nameOf(a)} — ${nameOf(p)} / ${nameOf(n)}`);
      return null;
    }
    const [pos, neg] = answer === 'accept' ? [p, n] : [n, p];
    const t = store.createTriplet(db, { split: 'train', anchorId: a, positiveId: pos, negativeId: neg });
    putAnswer(db, a, p, n, answer === 'accept' ? 'accepted' : 'swapped', args.reason ?? null, t.id);
    return t;
  })();
}
