// The large-set epoch rule on real features (`npm run bench -- epochs-real`; issue 12.3): many
// triplets per image generated over a shared set's train images by a simulated labeller (a, p of one
// class, n of another, from the image folders — bench only), trained with the epoch rule (capped
// epochs, schedule.ts) and with full epochs (stepsPerEpoch 0), scored on the set's test.txt triplets.
// One JSON line per fit (so a partial run is still usable), then mean ± sd per variant.
// Env: EPOCHS_SETS=flowers,trash  EPOCHS_TRIPLETS=6000  EPOCHS_SEEDS=1,2,3  EPOCHS_ENSEMBLE=1
//      EPOCHS_VARIANTS=rule,full  (a number n = stepsPerEpoch n).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { distance } from '../src/main/ml/encoder/distances.js';
import { fitEncoder } from '../src/main/ml/encoder/fit.js';
import { embedFeatures } from '../src/main/ml/encoder/model.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import type { TrainOptions } from '../src/shared/types.js';
import { type AccuracySet, loadAccuracySet } from './accuracy-data.js';
import { mean, meanSd, sd } from './scale-lib.js';

/** `count` triplets over the set's train images: a, p of one class (a ≠ p), n of another. */
export function labellerTriplets(set: AccuracySet, count: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const images = [...new Set(set.train)].sort((a, b) => a - b);
  const cls = (r: number) => set.names[r].split('/')[0];
  const out = new Int32Array(count * 3);
  const pick = () => images[Math.floor(rand() * images.length)];
  for (let t = 0; t < count; ) {
    const a = pick();
    const p = pick();
    const n = pick();
    if (a === p || cls(a) !== cls(p) || cls(a) === cls(n)) continue;
    out.set([a, p, n], 3 * t++);
  }
  return out;
}

function testAccuracy(set: AccuracySet, fit: Awaited<ReturnType<typeof fitEncoder>>, kind: TrainOptions['distance']): number {
  const n = set.plain.length / set.dim;
  const e = embedFeatures(fit, set.plain, n, set.dim);
  const w = e.length / n;
  const row = (r: number) => e.subarray(r * w, (r + 1) * w);
  let ok = 0;
  for (let t = 0; t < set.test.length; t += 3) if (distance(kind, row(set.test[t]), row(set.test[t + 1])) < distance(kind, row(set.test[t]), row(set.test[t + 2]))) ok++;
  return ok / (set.test.length / 3);
}

const list = (v: string | undefined, d: string) => (v ?? d).split(',').filter(Boolean);

export async function runEpochsReal(): Promise<void> {
  await initBackend('wasm');
  const count = Number(process.env.EPOCHS_TRIPLETS ?? 6000);
  const seeds = list(process.env.EPOCHS_SEEDS, '1,2,3').map(Number);
  const variants = list(process.env.EPOCHS_VARIANTS, 'rule,full');
  const ensemble = Number(process.env.EPOCHS_ENSEMBLE ?? 1);
  for (const name of list(process.env.EPOCHS_SETS, 'flowers')) {
    const set = await loadAccuracySet(name);
    if (!set) throw new Error(`shared set ${name} not found`);
    const triplets = labellerTriplets(set, count, 100);
    const acc: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    for (const seed of seeds) {
      for (const v of variants) {
        const over: Partial<TrainOptions> = v === 'full' ? { stepsPerEpoch: 0 } : v === 'rule' ? {} : { stepsPerEpoch: Number(v) };
        const options = { ...DEFAULT_TRAIN_OPTIONS, ensemble, seed, ...over };
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const fit = await fitEncoder({ dim: set.dim, features: set.plain, triplets, options });
        const c = process.cpuUsage(c0);
        const a = testAccuracy(set, fit, options.distance);
        (acc[v] ??= []).push(a);
        (cpu[v] ??= []).push((c.user + c.system) / 1e6);
        console.log(JSON.stringify({ set: name, triplets: count, seed, variant: v, perEpoch: fit.tripletsPerEpoch, acc: a, cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, load: loadavg()[0] }));
      }
    }
    for (const v of variants) console.log(`${name} ${count} triplets, ${v}: test acc ${meanSd(acc[v])} (n ${acc[v].length}), CPU ${mean(cpu[v]).toFixed(1)} ± ${sd(cpu[v]).toFixed(1)} s`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runEpochsReal();
