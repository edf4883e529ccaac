// The label audit: scores every active train triplet with encoders that never trained on it
// (ml/audit/cv-margins.ts), so mislabelled lines rise to the top, and lists contradictions,
// duplicate images and train/test leakage (audit-checks.ts). Reads only; the features it needs are
// computed and cached like training's. Decisions go through the undoable edit paths (a "keep" is the
// review decision 'keep': kept suspects sink below the others on the next audit).
import { AppError } from '../../shared/errors.js';
import { MAX_AUDIT_LISTED, type AuditOptions, type AuditReport, type AuditSuspect } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { scoreTrainTriplets } from '../ml/audit/score.js';
import { defaultBackbone } from '../ml/index.js';
import { activeAuditRows, tripletStates, type AuditRow } from '../store/audit.js';
import { readTransaction, type Db } from '../store/db.js';
import { existingImageIds } from '../store/images.js';
import { findContradictions, findDuplicates, findLeakage, NEAR_DUPLICATE_DISTANCE } from './audit-checks.js';
import { ensureFeatures, featureKey, loadFeatures } from './features.js';
import { resolveTrainOptions } from './runs.js';

/**
 * Defaults chosen on train_noisy.txt of both shared sets and on fresh noisy files over their train
 * photos (npm run bench -- audit [--generated], tables there). Fold models are single encoders (no
 * ensemble) trained for few epochs: the repeats already average several models, and a short fit
 * learns the classes before the noise. The other folds' groups vote on each held-out line with weight
 * 1 (ml/audit/group-votes.ts): on fresh files over both sets as one project (11 kinds, fewer lines per
 * image) recall@150 rose from 0.889 to 0.992 (weight 0.5: 0.986, 2: 0.961), on trash/train_noisy.txt
 * from 0.947 to 1.000.
 */
export const AUDIT_DEFAULTS = { folds: 5, repeats: 2, epochs: 8, seed: 1, groupWeight: 1 } as const;

/**
 * Without --epochs, each fold model gets at least the optimiser steps 8 epochs give on the shared
 * sets (960 training triplets per fold, batch 64: 120 steps), so a small train split is not left
 * under-trained: on the first 400 lines of trash/train_noisy.txt (39 flipped) 8 epochs found 0.54 /
 * 0.51 of the flipped lines among the first 39 suspects (seeds 1, 2), 24 epochs (= 120 steps) 0.67.
 * Capped, so a handful of triplets does not train for thousands of epochs.
 */
export const MIN_AUDIT_STEPS = 120;
const MAX_AUTO_EPOCHS = 60;

/** Epochs of each fold model when the user gave none (see MIN_AUDIT_STEPS). */
export function autoEpochs(triplets: number, folds: number, batchSize: number): number {
  const perFold = Math.max(1, Math.ceil((triplets * (folds - 1)) / folds / batchSize));
  return Math.min(MAX_AUTO_EPOCHS, Math.max(AUDIT_DEFAULTS.epochs, Math.ceil(MIN_AUDIT_STEPS / perFold)));
}

export interface AuditRunOptions extends AuditOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  readOnly?: boolean;
}

/** The options with defaults; epochs 0 = automatic (autoEpochs, once the triplets are known). */
function resolveAudit(o: AuditOptions): Required<AuditOptions> {
  const r = { ...AUDIT_DEFAULTS, epochs: 0, backbone: defaultBackbone(), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as Required<AuditOptions>;
  checked({ ...r, epochs: r.epochs === 0 ? 1 : r.epochs });
  return r;
}

/** The allowed range of each whole-number audit option (the CLI checks them as it parses). */
export const AUDIT_RANGES = { folds: [2, 50], repeats: [1, 20], epochs: [1, 1000] } as const;

function checked(r: Required<AuditOptions>): void {
  for (const [key, [min, max]] of Object.entries(AUDIT_RANGES) as [keyof typeof AUDIT_RANGES, readonly [number, number]][]) {
    const v = r[key];
    const word = key[0].toUpperCase() + key.slice(1);
    if (!Number.isInteger(v) || v < min || v > max) throw new AppError('BAD_ARGUMENTS', `--${key}: ${word} must be a whole number between ${min} and ${max}.`);
  }
  if (!Number.isInteger(r.seed)) throw new AppError('BAD_ARGUMENTS', '--seed: Seed must be a whole number.');
}

/** Worst first; the user's "keep" decisions after every other suspect. */
export function rankSuspects(s: AuditSuspect[]): AuditSuspect[] {
  return [...s].sort((x, y) => Number(x.kept) - Number(y.kept) || y.score - x.score || x.id - y.id);
}

const suspectOf = (r: AuditRow, score: number): AuditSuspect => ({
  id: r.id,
  line: r.line,
  file: r.file,
  score,
  anchorId: r.a,
  positiveId: r.p,
  negativeId: r.n,
  anchor: r.anchor,
  positive: r.positive,
  negative: r.negative,
  kept: r.review === 'keep',
  status: 'active',
  split: r.split,
  swapped: false,
});

export async function runAudit(db: Db, options: AuditRunOptions = {}): Promise<AuditReport> {
  const t0 = performance.now();
  const o = resolveAudit(options);
  // derived 0: fold models train on the user's triplets only, as measured (bench/audit.ts); implied
  // triplets would double the time of every fold.
  const base = resolveTrainOptions({ backbone: o.backbone, ensemble: 1, validationSplit: 0, derived: 0 });
  const key = featureKey(o.backbone, { resize: base.resize, exif: base.exif });
  const rows = readTransaction(db, () => ({ train: activeAuditRows(db, 'train'), leakage: findLeakage(db) }));
  if (!options.readOnly) await ensureFeatures(db, o.backbone, { backend: base.backend, prep: key.prep, signal: options.signal, onProgress: options.onProgress });
  options.signal?.throwIfAborted();
  const features = loadFeatures(db, key);
  const scorable = rows.train.filter((t) => features.has(t.a) && features.has(t.p) && features.has(t.n));
  const dim = features.values().next().value?.length ?? 0;
  if (o.epochs === 0) o.epochs = autoEpochs(scorable.length, o.folds, base.batchSize);
  const train = { ...base, epochs: o.epochs };
  const total = o.folds * o.repeats * o.epochs;
  options.onProgress?.({ phase: 'audit', done: 0, total });
  const { margins } = await scoreTrainTriplets({
    dim,
    features,
    triplets: scorable.map((t) => [t.a, t.p, t.n]),
    folds: o.folds,
    repeats: o.repeats,
    seed: o.seed,
    options: train,
    groupWeight: AUDIT_DEFAULTS.groupWeight,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.({ phase: 'audit', done: Math.round((p.done * o.epochs + p.epoch) * 100) / 100, total }),
  });
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'checks', done: 0, total: 0 });
  return {
    suspects: rankSuspects(scorable.map((r, i) => suspectOf(r, margins[i]))),
    contradictions: findContradictions(db),
    duplicates: findDuplicates(db, features),
    leakage: rows.leakage,
    method: { folds: o.folds, repeats: o.repeats, epochs: o.epochs, seed: o.seed, backbone: o.backbone, groupWeight: AUDIT_DEFAULTS.groupWeight, nearDuplicateDistance: NEAR_DUPLICATE_DISTANCE },
    unscored: rows.train.length - scorable.length,
    seconds: (performance.now() - t0) / 1000,
    at: new Date().toISOString(),
  };
}

/**
 * A report with each suspect's current state (after the user's swaps, exclusions, keeps, undos);
 * the order stays the audit's, so a fixed line does not jump away under the cursor. Duplicates lose
 * the images removed since (a pair with one image left is no duplicate any more; undo brings it back).
 * Contradictions and leakage are found again (a few queries): a fixed one must not stay listed.
 */
export function refreshReport(db: Db, report: AuditReport): AuditReport {
  const present = existingImageIds(db, report.duplicates.flatMap((d) => d.images.map((i) => i.id)));
  const duplicates = report.duplicates
    .map((d) => ({ ...d, images: d.images.filter((i) => present.has(i.id)) }))
    .filter((d) => d.images.length >= (d.kind === 'paths' ? 1 : 2));
  const now = tripletStates(db, report.suspects.map((s) => s.id));
  const suspects = report.suspects.map((s): AuditSuspect => {
    const r = now.get(s.id);
    if (!r) return { ...s, status: 'deleted', split: null };
    return { ...s, status: r.status, split: r.split, kept: r.review === 'keep', swapped: r.p === s.negativeId && r.n === s.positiveId };
  });
  const checks = readTransaction(db, () => ({ contradictions: findContradictions(db), leakage: findLeakage(db) }));
  return { ...report, suspects, duplicates, ...checks };
}

/** The report with each list cut to its first MAX_AUDIT_LISTED entries (for the app), and the totals. */
export function trimAuditReport(r: AuditReport, max = MAX_AUDIT_LISTED): AuditReport {
  const lists = [r.suspects, r.contradictions, r.duplicates, r.leakage];
  if (lists.every((l) => l.length <= max)) return r;
  return {
    ...r,
    suspects: r.suspects.slice(0, max),
    contradictions: r.contradictions.slice(0, max),
    duplicates: r.duplicates.slice(0, max),
    leakage: r.leakage.slice(0, max),
    totals: { suspects: r.suspects.length, contradictions: r.contradictions.length, duplicates: r.duplicates.length, leakage: r.leakage.length },
  };
}
