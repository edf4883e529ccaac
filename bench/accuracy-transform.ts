// Accuracy bench rows for feature post-processing (src/main/ml/feature-transform.ts): per set, CV
// over image-disjoint folds of train.txt (the transform is fitted on the fold's training images
// only), for several repetitions (rep r: fold split seed 6 + r, training seeds 10·r + fold), then
// optionally the test split (5 seeds, trained on all of train.txt).
// `npm run bench -- accuracy-transform --sets=trash --kinds=none,sqrt-l2 --reps=3 [--test]`
import type { TrainOptions } from '../src/shared/types.js';
import { initBackend } from '../src/main/ml/backend.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { applyFeatureTransform, FEATURE_TRANSFORM_KINDS, type FeatureTransformKind, fitFeatureTransform } from '../src/main/ml/feature-transform.js';
import { type AccuracySet, loadAccuracySet } from './accuracy-data.js';
import { type Pooling, pooledFeatures } from './accuracy-pooling.js';
import { embeddingAccuracy, encoderEmbeddings, makeFolds, rawEmbedding } from './accuracy-lib.js';

const FOLDS = 5;
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const fmt = (xs: number[]): string => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

/** The set with its features replaced by the transform fitted on the images of `train` only. */
function transformed(set: AccuracySet, kind: FeatureTransformKind, train: Int32Array): AccuracySet {
  const t = fitFeatureTransform(kind, set.plain, set.dim, train);
  const n = set.names.length;
  return { ...set, plain: applyFeatureTransform(t, set.plain, n), flipped: applyFeatureTransform(t, set.flipped, n) };
}

/** Encoder (default options + overrides) and raw-feature accuracy of one train/eval split. */
async function scoreSplit(set: AccuracySet, kind: FeatureTransformKind, train: Int32Array, evalT: Int32Array, options: TrainOptions): Promise<{ enc: number; raw: number }> {
  const s = transformed(set, kind, train);
  const emb = await encoderEmbeddings(s, train, options);
  return { enc: embeddingAccuracy(emb.model, set.names.length, evalT), raw: embeddingAccuracy(rawEmbedding(s), set.names.length, evalT) };
}

/** The set's features pooled another way (no mirrored copies: the plain ones stand in). */
async function withPooling(set: AccuracySet, pooling: Pooling): Promise<Pick<AccuracySet, 'plain' | 'flipped' | 'dim'>> {
  const p = await pooledFeatures(set.name, set.names, pooling);
  return { plain: p.plain, flipped: p.plain, dim: p.dim };
}

async function benchSet(name: string, kinds: FeatureTransformKind[], reps: number, test: boolean, overrides: Partial<TrainOptions>): Promise<void> {
  const loaded = await loadAccuracySet(name);
  if (!loaded) return void console.log(`(${name} skipped: no train.txt)`);
  // --pooling=max|gem3|avgmax: features pooled another way from the 7×7 map (accuracy-pooling.ts).
  const pooling = arg('pooling') as Pooling | undefined;
  const set = pooling ? { ...loaded, ...(await withPooling(loaded, pooling)) } : loaded;
  if (pooling) console.log(`${name}: pooling ${pooling}, ${set.dim}-d`);
  for (const kind of kinds) {
    const cvReps: number[] = [];
    const rawReps: number[] = [];
    for (let r = 1; r <= reps; r++) {
      const folds = makeFolds(set, FOLDS, 400, 6 + r);
      const enc: number[] = [];
      const raw: number[] = [];
      for (const [i, f] of folds.entries()) {
        const seed = r === 1 ? i + 1 : 10 * r + i;
        const s = await scoreSplit(set, kind, f.train, f.eval, { ...DEFAULT_TRAIN_OPTIONS, ...overrides, seed });
        enc.push(s.enc);
        raw.push(s.raw);
      }
      cvReps.push(mean(enc));
      rawReps.push(mean(raw));
      console.log(`${name} ${kind} rep ${r}: CV ${mean(enc).toFixed(3)} (folds ${enc.map((x) => x.toFixed(3)).join(' ')}), raw ${mean(raw).toFixed(3)}`);
    }
    console.log(`${name} ${kind}: CV ${fmt(cvReps)} over ${reps} reps; raw features ${mean(rawReps).toFixed(3)}`);
    if (!test) continue;
    const scores: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) scores.push((await scoreSplit(set, kind, set.train, set.test, { ...DEFAULT_TRAIN_OPTIONS, ...overrides, seed })).enc);
    console.log(`${name} ${kind}: TEST ${fmt(scores)} (seed 1: ${scores[0].toFixed(3)}; ${scores.map((x) => x.toFixed(3)).join(' ')})`);
  }
}

export async function runTransformBench(): Promise<void> {
  const sets = (arg('sets') ?? 'flowers,trash').split(',');
  const kinds = (arg('kinds') ?? FEATURE_TRANSFORM_KINDS.join(',')).split(',') as FeatureTransformKind[];
  const overrides = JSON.parse(arg('options') ?? '{}') as Partial<TrainOptions>;
  await initBackend('wasm');
  for (const name of sets) await benchSet(name, kinds, Number(arg('reps') ?? 3), process.argv.includes('--test'), overrides);
}

if (import.meta.url === `file://${process.argv[1]}`) await runTransformBench();
