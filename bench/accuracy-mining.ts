// Accuracy bench for triplets derived from the train triplets' groups (src/main/ml/encoder/miners/):
// image-disjoint CV on train.txt only (5 folds, as bench/accuracy.ts), repeated over seeds; per
// row, mean ± sd over the seeds of the 5-fold mean. test.txt is not looked at here.
// `npm run bench -- accuracy-mining [--sets=trash] [--seeds=5] [--rows=defaults,fresh1]`
// (≈ 1 min per fit pair on 2 idle cores; rows cost 1–2× a default fit each).
import type { TrainOptions } from '../src/shared/types.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { deriveTriplets, groupImages } from '../src/main/ml/encoder/miners/groups.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import { type AccuracySet, BACKBONE, loadAccuracySet } from './accuracy-data.js';
import { embeddingAccuracy, encoderEmbeddings, linearEmbedding, makeFolds, rawEmbedding } from './accuracy-lib.js';

const LINEAR = { k: 32, gamma: 0.1 };

interface Row {
  name: string;
  label: string;
  run(set: AccuracySet, train: Int32Array, seed: number): Promise<Float32Array>;
}

const concat = (...xs: Int32Array[]): Int32Array => {
  const out = new Int32Array(xs.reduce((s, x) => s + x.length, 0));
  let off = 0;
  for (const x of xs) (out.set(x, off), (off += x.length));
  return out;
};
const repeat = (x: Int32Array, times: number): Int32Array => concat(...Array.from({ length: times }, () => x));

/**
 * Fresh derived triplets every epoch, emulated in one pass: the real triplets `epochs` times plus
 * ratio × real × epochs derived ones, shuffled together, trained for 1 epoch.
 */
function freshRow(name: string, label: string, ratio: number, realShare: number, options: Partial<TrainOptions> = {}): Row {
  return {
    name,
    label,
    run: async (set, train, seed) => {
      const o = { ...DEFAULT_TRAIN_OPTIONS, ...options, seed };
      const m = train.length / 3;
      const derived = deriveTriplets(groupImages(train), Math.round(ratio * m * o.epochs), seededRandom(seed ^ 0x2545f491));
      const all = concat(repeat(train, Math.round(realShare * o.epochs)), derived);
      return (await encoderEmbeddings(set, all, { ...o, epochs: 1 })).model;
    },
  };
}

const ROWS: Row[] = [
  { name: 'raw', label: 'raw features', run: async (set) => rawEmbedding(set) },
  { name: 'linear', label: `linear reference (k ${LINEAR.k}, γ ${LINEAR.gamma})`, run: async (set, train) => linearEmbedding(set, train, LINEAR) },
  {
    name: 'linear-derived',
    label: 'linear, on 5,000 derived triplets',
    run: async (set, train, seed) => linearEmbedding(set, deriveTriplets(groupImages(train), 5000, seededRandom(seed)), LINEAR),
  },
  { name: 'defaults', label: 'old defaults (ensemble 2, 24 epochs, derived 0)', run: async (set, train, seed) => (await encoderEmbeddings(set, train, { ...DEFAULT_TRAIN_OPTIONS, derived: 0, seed })).model },
  { name: 'derived1', label: 'derived 1 (the default now)', run: async (set, train, seed) => (await encoderEmbeddings(set, train, { ...DEFAULT_TRAIN_OPTIONS, derived: 1, seed })).model },
  { name: 'derived3', label: 'defaults + derived 3, 12 epochs', run: async (set, train, seed) => (await encoderEmbeddings(set, train, { ...DEFAULT_TRAIN_OPTIONS, derived: 3, epochs: 12, seed })).model },
  { name: 'derived1e', label: 'ensemble 1, derived 1', run: async (set, train, seed) => (await encoderEmbeddings(set, train, { ...DEFAULT_TRAIN_OPTIONS, ensemble: 1, derived: 1, seed })).model },
  freshRow('fresh1', 'defaults + 1× fresh derived per epoch', 1, 1),
  freshRow('only1', 'derived only (1× per epoch, no real)', 1, 0),
  freshRow('only2', 'derived only (2× per epoch, no real)', 2, 0),
];

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

async function benchSet(name: string, rows: Row[], seeds: number): Promise<void> {
  const set = await loadAccuracySet(name);
  if (!set) return void console.log(`(${name} skipped)`);
  const folds = makeFolds(set, 5, 400, 7);
  console.log(`\n${name}: CV, 5 image-disjoint folds of train.txt, seeds 1–${seeds} (mean of folds per seed; mean ± sd over seeds)`);
  for (const row of rows) {
    const t0 = performance.now();
    const perSeed: number[] = [];
    for (let s = 1; s <= seeds; s++) {
      const accs: number[] = [];
      for (let f = 0; f < folds.length; f++) {
        const emb = await row.run(set, folds[f].train, s * 10 + f);
        accs.push(embeddingAccuracy(emb, set.names.length, folds[f].eval));
      }
      perSeed.push(mean(accs));
    }
    const secs = (performance.now() - t0) / 1000 / (seeds * folds.length);
    console.log(`${row.label.padEnd(48)} ${mean(perSeed).toFixed(3)} ± ${sd(perSeed).toFixed(3)}   [${perSeed.map((x) => x.toFixed(3)).join(' ')}]   ${secs.toFixed(1)} s/fit`);
  }
}

export async function runMiningBench(): Promise<void> {
  if (!isBackboneInstalled(BACKBONE)) return void console.log(`(accuracy-mining skipped: ${BACKBONE} weights not installed)`);
  const arg = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
  const sets = arg('sets')?.split(',') ?? ['flowers', 'trash'];
  const seeds = Number(arg('seeds') ?? 5);
  const only = arg('rows')?.split(',');
  await initBackend('wasm');
  for (const name of sets) await benchSet(name, only ? only.map((n) => ROWS.find((r) => r.name === n)!).filter(Boolean) : ROWS, seeds);
}

if (import.meta.url === `file://${process.argv[1]}`) await runMiningBench();
