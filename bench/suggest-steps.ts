// Dev aid (validation only): is a model trained on few lines under-trained? Trains the validation
// start lines (bench/suggest-lib.ts seedData 'validate') with variants of the train options:
// `node --import tsx bench/suggest-steps.ts --sets=trash,flowers --seeds=1,2,3 --variants='[{},{"epochs":48}]' [--start=300]`.
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { embedFeatures } from '../src/main/ml/encoder/model.js';
import { fitEncoder } from '../src/main/ml/encoder/fit.js';
import { loadAccuracySet } from './accuracy-data.js';
import { accuracy, seedData } from './suggest-lib.js';
import { pm } from './suggest-stats.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);
await initBackend();
const variants: object[] = JSON.parse(arg('variants') ?? '[{}]');
const seeds = (arg('seeds') ?? '1,2,3').split(',').map(Number);
const start = Number(arg('start') ?? 300);
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const accs: number[][] = variants.map(() => []);
  for (const seed of seeds) {
    const d = seedData(set, seed, 'validate', start);
    for (const [i, v] of variants.entries()) {
      const t0 = Date.now();
      const r = await fitEncoder({ dim: set.dim, features: set.plain, triplets: Int32Array.from(d.start.flat()), options: { ...DEFAULT_TRAIN_OPTIONS, seed, ...v } });
      const acc = accuracy(embedFeatures({ weights: r.weights }, set.plain, set.names.length, set.dim), set.names.length, d.score);
      accs[i].push(acc);
      console.log(`${name} seed ${seed} lines ${d.start.length} v${i} ${JSON.stringify(v)} ${acc.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }
  for (const [i, v] of variants.entries()) console.log(`${name} v${i} ${JSON.stringify(v)} ${pm(accs[i].map((x) => x))}`);
}
