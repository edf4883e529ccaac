// The large-set epoch rule on real features (`npm run bench -- epochs-real`; issue 12.3): many
// triplets per image generated over a shared set's train images by a simulated labeller (a, p of one
// class, n of another, from the image folders — bench only), trained with the epoch rule (capped
// epochs, schedule.ts) and with full epochs (stepsPerEpoch 0). Scored by validation (the default,
// EPOCHS_SCORE=validate): 30% of the train images are held out, the labeller draws the training
// triplets from the rest and 2,000 scoring triplets from the held-out ones — test.txt is never read;
// EPOCHS_SCORE=test trains on all train images and scores on test.txt (how the rule was first checked).
// One JSON line per fit (so a partial run is still usable), then mean ± sd per variant.
// Env: EPOCHS_SETS=flowers,trash  EPOCHS_TRIPLETS=6000  EPOCHS_SEEDS=1,2,3  EPOCHS_ENSEMBLE=1
//      EPOCHS_VARIANTS=rule,full  (a number n = stepsPerEpoch n)  EPOCHS_SCORE=validate|test.
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

/** `count` triplets over the given images (default: the set's train images): a, p of one class (a ≠ p), n of another. */
export function labellerTriplets(set: AccuracySet, count: number, seed: number, images = [...new Set(set.train)].sort((a, b) => a - b)): Int32Array {
  const rand = seededRandom(seed);
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

/** Train images split in two, whole images: 70% to train on, 30% held out to score on. */
function heldOutSplit(set: AccuracySet, seed: number): { fit: number[]; held: number[] } {
  const images = [...new Set(set.train)].sort((a, b) => a - b);
  const rand = seededRandom(seed * 7919 + 17);
  for (let i = images.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [images[i], images[j]] = [images[j], images[i]];
  }
  const cut = Math.round(images.length * 0.3);
  return { held: images.slice(0, cut).sort((a, b) => a - b), fit: images.slice(cut).sort((a, b) => a - b) };
}

function scoreAccuracy(set: AccuracySet, fit: Awaited<ReturnType<typeof fitEncoder>>, kind: TrainOptions['distance'], score: Int32Array): number {
  const n = set.plain.length / set.dim;
  const e = embedFeatures(fit, set.plain, n, set.dim);
  const w = e.length / n;
  const row = (r: number) => e.subarray(r * w, (r + 1) * w);
  let ok = 0;
  for (let t = 0; t < score.length; t += 3) if (distance(kind, row(score[t]), row(score[t + 1])) < distance(kind, row(score[t]), row(score[t + 2]))) ok++;
  return ok / (score.length / 3);
}

const list = (v: string | undefined, d: string) => (v ?? d).split(',').filter(Boolean);

export async function runEpochsReal(): Promise<void> {
  await initBackend('wasm');
  const count = Number(process.env.EPOCHS_TRIPLETS ?? 6000);
  const seeds = list(process.env.EPOCHS_SEEDS, '1,2,3').map(Number);
  const variants = list(process.env.EPOCHS_VARIANTS, 'rule,full');
  const ensemble = Number(process.env.EPOCHS_ENSEMBLE ?? 1);
  const mode = process.env.EPOCHS_SCORE === 'test' ? 'test' : 'validate';
  for (const name of list(process.env.EPOCHS_SETS, 'flowers')) {
    const set = await loadAccuracySet(name);
    if (!set) throw new Error(`shared set ${name} not found`);
    const split = heldOutSplit(set, 1);
    const triplets = mode === 'test' ? labellerTriplets(set, count, 100) : labellerTriplets(set, count, 100, split.fit);
    const score = mode === 'test' ? set.test : labellerTriplets(set, 2000, 200, split.held);
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
        const a = scoreAccuracy(set, fit, options.distance, score);
        (acc[v] ??= []).push(a);
        (cpu[v] ??= []).push((c.user + c.system) / 1e6);
        console.log(JSON.stringify({ set: name, score: mode, triplets: count, seed, variant: v, perEpoch: fit.tripletsPerEpoch, acc: a, cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, load: loadavg()[0] }));
      }
    }
    for (const v of variants) console.log(`${name} ${count} triplets, ${v}: ${mode} acc ${meanSd(acc[v])} (n ${acc[v].length}), CPU ${mean(cpu[v]).toFixed(1)} ± ${sd(cpu[v]).toFixed(1)} s`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runEpochsReal();
