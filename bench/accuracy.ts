// Accuracy benchmark: how the training recipe does on photos it has not seen, on both shared sets.
// Per set, every row is scored twice: CV = mean over 5 image-disjoint folds of train.txt (train
// only; see makeFolds), test = mean ± sd over 5 seeds trained on all of train.txt and scored on
// test.txt. Defaults were chosen on CV alone (src/main/ml/defaults.ts); test is for reporting.
// `npm run bench -- accuracy` (≈ 7–10 min on 2 idle cores; features cached in .tmp/accuracy/ after
// the first run); add `--knobs` for the rows of every other knob tried (≈ 3× longer), `--sets=trash`
// for one set.
import type { TrainOptions } from '../src/shared/types.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { type AccuracySet, BACKBONE, loadAccuracySet, sharedDir } from './accuracy-data.js';
import { embeddingAccuracy, encoderEmbeddings, linearEmbedding, makeFolds, rawEmbedding } from './accuracy-lib.js';

const SETS = ['flowers', 'trash'];
const SEEDS = [1, 2, 3, 4, 5];
const FOLDS = 5;
/** The linear reference's settings (chosen on CV like the rest: k 32 ≥ k 64, γ 0.1 ≥ γ 1). */
const LINEAR = { k: 32, gamma: 0.1 };

/** A way to get embeddings of every image from some train triplets; `variants` names the rows it feeds. */
interface Fit {
  name: string;
  run(set: AccuracySet, train: Int32Array, seed: number): Promise<Record<string, Float32Array>>;
}

const encoderFit = (name: string, options: Partial<TrainOptions>, extra: { flipAugment?: boolean; atEpochs?: number[] } = {}): Fit => ({
  name,
  run: (set, train, seed) => encoderEmbeddings(set, train, { ...DEFAULT_TRAIN_OPTIONS, ...options, seed }, extra),
});

const d = DEFAULT_TRAIN_OPTIONS;
const BASE_FITS: Fit[] = [
  { name: 'raw', run: async (set) => ({ model: rawEmbedding(set) }) },
  { name: 'linear', run: async (set, train) => ({ model: linearEmbedding(set, train, LINEAR) }) },
  encoderFit('defaults', {}, { atEpochs: [8, 16] }),
  encoderFit('validation', { validationSplit: 0.3, patience: 8 }),
];
const KNOB_FITS: Fit[] = [
  encoderFit('flip', {}, { flipAugment: true }),
  encoderFit('wd', { weightDecay: 1e-3 }),
  encoderFit('dropout', { dropout: 0.5 }),
  encoderFit('margin', { margin: 1 }),
  encoderFit('emb', { embedding: 32 }),
  encoderFit('ens3', { ensemble: 3 }),
  encoderFit('noderived', { derived: 0 }),
];

/** Table rows: [label, fit, variant]. */
function rows(knobs: boolean): [string, string, string][] {
  const r: [string, string, string][] = [
    [`defaults: ensemble ${d.ensemble ?? 1}, ${d.epochs} epochs, derived ${d.derived ?? 0}, no validation`, 'defaults', 'model'],
    ['raw-feature baseline (l2, normalised)', 'raw', 'model'],
    [`linear reference (discriminant k ${LINEAR.k}, γ ${LINEAR.gamma})`, 'linear', 'model'],
    [`one encoder (Dense ${d.hidden}→${d.embedding}, research settings, ${d.epochs} ep)`, 'defaults', 'member1'],
    ['defaults + test-time flip averaging', 'defaults', 'tta'],
    ['defaults, 8 epochs', 'defaults', '@8'],
    ['defaults, 16 epochs', 'defaults', '@16'],
    ['validation 0.3 of images, best epoch, patience 8', 'validation', 'model'],
  ];
  if (knobs) {
    r.push(
      ['defaults + flip augmentation', 'flip', 'model'],
      ['defaults + weight decay 1e-3', 'wd', 'model'],
      ['defaults, dropout 0.5', 'dropout', 'model'],
      ['defaults, margin 1.0', 'margin', 'model'],
      ['defaults, embedding 32', 'emb', 'model'],
      ['defaults, ensemble 3', 'ens3', 'model'],
      ['defaults without implied triplets (derived 0: the old defaults)', 'noderived', 'model'],
    );
  }
  return r;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

/** accuracy[fit][variant] → list of scores (one per fold or per seed). */
type Scores = Record<string, Record<string, number[]>>;

async function scoreAll(set: AccuracySet, fits: Fit[], runs: { train: Int32Array; eval: Int32Array; seed: number }[]): Promise<{ scores: Scores; seconds: Record<string, number> }> {
  const scores: Scores = {};
  const seconds: Record<string, number> = {};
  const n = set.names.length;
  for (const fit of fits) {
    const t0 = performance.now();
    for (const r of runs) {
      const emb = await fit.run(set, r.train, r.seed);
      for (const [variant, e] of Object.entries(emb)) ((scores[fit.name] ??= {})[variant] ??= []).push(embeddingAccuracy(e, n, r.eval));
    }
    seconds[fit.name] = (performance.now() - t0) / 1000 / runs.length;
  }
  return { scores, seconds };
}

async function benchSet(name: string, knobs: boolean): Promise<void> {
  const set = await loadAccuracySet(name);
  if (!set) return void console.log(`(${name} skipped: no ${sharedDir}/datasets/${name}/train.txt)`);
  const fits = knobs ? [...BASE_FITS, ...KNOB_FITS] : BASE_FITS;
  const folds = makeFolds(set, FOLDS, 400, 7);
  const cv = await scoreAll(set, fits, folds.map((f, i) => ({ train: f.train, eval: f.eval, seed: i + 1 })));
  const test = await scoreAll(set, fits, SEEDS.map((seed) => ({ train: set.train, eval: set.test, seed })));
  console.log(`\n${name}: ${set.train.length / 3} train / ${set.test.length / 3} test triplets, ${set.names.length} images, ${BACKBONE}`);
  console.log(`CV: ${FOLDS} image-disjoint folds of train.txt (train on ${folds.map((f) => f.train.length / 3).join('/')} triplets; 400 class-consistent triplets of each fold's images; real all-in-fold triplets: ${folds.map((f) => f.realEval).join('/')})`);
  console.log(`${'row'.padEnd(58)} ${'CV'.padStart(6)}   ${'test (5 seeds)'.padEnd(15)} seed 1   s/fit`);
  for (const [label, fit, variant] of rows(knobs)) {
    const c = cv.scores[fit]?.[variant];
    const t = test.scores[fit]?.[variant];
    if (!c || !t) continue;
    console.log(`${label.padEnd(58)} ${mean(c).toFixed(3).padStart(6)}   ${mean(t).toFixed(3)} ± ${sd(t).toFixed(3)}   ${t[0].toFixed(3)}   ${test.seconds[fit].toFixed(1)}`);
  }
}

export async function runAccuracyBench(): Promise<void> {
  if (!isBackboneInstalled(BACKBONE)) {
    console.log(`(accuracy skipped: ${BACKBONE} weights not installed; set TRIPLET_STUDIO_BACKBONES=../shared/models)`);
    return;
  }
  const knobs = process.argv.includes('--knobs');
  // --sets=trash (comma-separated) runs only those sets.
  const only = process.argv.find((a) => a.startsWith('--sets='))?.slice(7).split(',');
  await initBackend('wasm');
  for (const name of SETS) if (!only || only.includes(name)) await benchSet(name, knobs);
}

if (import.meta.url === `file://${process.argv[1]}`) await runAccuracyBench();
