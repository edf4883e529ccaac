// Accuracy bench for triplets derived from the train triplets' groups (src/main/ml/encoder/miners/):
// image-disjoint CV on train.txt only (5 folds, as bench/accuracy.ts), repeated over seeds; per
// row, mean ± sd over the seeds of the 5-fold mean. test.txt is not looked at here.
// `npm run bench -- accuracy-mining [--sets=trash] [--seeds=5] [--first-seed=1] [--rows=defaults,derived1]`
// (≈ 1 min per fit pair on 2 idle cores; rows cost 1–2× a default fit each). Measured so far (seed 1):
// trash 0.847 → 0.861 (seed 2: 0.846 → 0.859), flowers 0.895 → 0.911 (old defaults → derived 1); linear on implied triplets
// 0.823 on trash (0.821 on the train triplets). derived3 and derived1e are not measured yet.
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
];

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

async function benchSet(name: string, rows: Row[], seeds: number, first: number): Promise<void> {
  const set = await loadAccuracySet(name);
  if (!set) return void console.log(`(${name} skipped)`);
  const folds = makeFolds(set, 5, 400, 7);
  console.log(`\n${name}: CV, 5 image-disjoint folds of train.txt, seeds ${first}–${first + seeds - 1} (mean of folds per seed; mean ± sd over seeds)`);
  for (const row of rows) {
    const t0 = performance.now();
    const perSeed: number[] = [];
    for (let s = first; s < first + seeds; s++) {
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
  const first = Number(arg('first-seed') ?? 1);
  await initBackend('wasm');
  for (const name of sets) await benchSet(name, only ? only.map((n) => ROWS.find((r) => r.name === n)!).filter(Boolean) : ROWS, seeds, first);
}

if (import.meta.url === `file://${process.argv[1]}`) await runMiningBench();
