// Suggestion benchmark (issue 8.3): do suggested triplets teach the model more than random ones?
// Per shared set (flowers, trash) and seed 1–5, with a simulated labeller (an image's class = its
// folder, as in classes.tsv; a triplet is accepted when only the positive shares the anchor's class,
// swapped when only the negative does, rejected otherwise):
//   start  = 300 random lines of train.txt (the same for every arm of a seed); train → "before"
//   suggested      = 100 suggestions from the "before" model (pool: the train images; test images
//                    never appear), answered by the labeller; a rejection spends one of the 100
//   random lines   = 100 further random lines of train.txt (curated, all answerable: the strongest
//                    random baseline, and the one the target is measured against)
//   random triples = 100 random image triples from the pool answered by the labeller (rejections spend too)
// Each arm retrains on start + what it added with the default options (same training seed) and is
// scored on test.txt; gain = accuracy after − before, mean ± sd over seeds; ratio = mean gains.
// Target: suggested ≥ 1.5 × random lines. `--validate` scores instead on 6,000 class-consistent
// triplets drawn from 30% of the train images held out (never trained on or suggested), starting
// from 210 lines (300 scaled to the 70% of images kept, so as many lines per image) — the
// suggestion settings were chosen that way, test.txt was scored once. Printed: mean ± sd of each
// arm's gain, the paired difference suggested − random lines, and the ratio of mean gains with a
// bootstrap spread over seeds (bench/suggest-stats.ts). Flags: --sets=flowers,trash (a+b joins sets
// into one project: flowers+trash) --seeds=5 --params='{"temperature":2}' (SuggestParams)
// --train-seeds=K (each arm's accuracy the mean of K training seeds: less retrain noise) --ceiling
// (also an arm with all of train.txt) --start=N (start lines). ≈ 4 × K trainings per seed and set.
import { loadavg } from 'node:os';
import { isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { BACKBONE, loadAccuracySet, sharedDir } from './accuracy-data.js';
import { describeRatio, mean, paired, pm, sd } from './suggest-stats.js';
import {
  accuracy,
  fitAndEmbed,
  seedData,
  spendOnRandomLines,
  spendOnRandomTriples,
  spendOnSuggestions,
  type Spent,
} from './suggest-lib.js';
import type { AccuracySet } from './accuracy-data.js';
import type { Triplet } from '../src/main/ml/encoder/distances.js';

/** Start lines (the issue's 300; --start=N for the learning curve below it); in --validate scaled to the images kept (suggest-lib.ts seedData). */
const START = 300;
const BUDGET = 100;
const ARMS = ['suggested', 'random lines', 'random triples'] as const;
/** --ceiling: also train on every train line (start + all 900 others), the most any labels of these images could give. */
const CEILING = 'all lines';

function flag(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3);
}


function describe(s: Spent): string {
  const r = Object.entries(s.reasons).map(([k, v]) => `${k} ${v.shown} (${v.rejected} rejected)`).join(', ');
  return `accept ${s.counts.accept}, swap ${s.counts.swap}, reject ${s.counts.reject}; ${r}`;
}

/**
 * Accuracy of a training set as the mean over `k` training seeds (seed, seed + 1000, …): a retrain's
 * test accuracy moves by ±0.01–0.03 with its training seed alone, more than 100 labels can change it,
 * so averaging the training noise of each arm shows the effect of the labels themselves. Also returns
 * the first model's embeddings (the one a user would have, which suggestions are drawn from).
 */
async function meanAccuracy(set: AccuracySet, train: Triplet[], seed: number, k: number, score: Int32Array): Promise<{ acc: number; emb: Float32Array }> {
  let sum = 0;
  let first: Float32Array | undefined;
  for (let i = 0; i < k; i++) {
    const emb = await fitAndEmbed(set, train, seed + 1000 * i);
    first ??= emb;
    sum += accuracy(emb, set.names.length, score);
  }
  return { acc: sum / k, emb: first! };
}

export async function runSuggestBench(): Promise<void> {
  if (!isBackboneInstalled(BACKBONE)) {
    console.log(`suggest: skipped (${BACKBONE} weights not installed; set TRIPLET_STUDIO_BACKBONES)`);
    return;
  }
  await initBackend();
  const mode = process.argv.includes('--validate') ? 'validate' : 'test';
  const seeds = Array.from({ length: Number(flag('seeds') ?? 5) }, (_, i) => i + 1);
  const params = flag('params') ? JSON.parse(flag('params')!) : undefined;
  const trainSeeds = Number(flag('train-seeds') ?? 1);
  const start = Number(flag('start') ?? START);
  const arms: string[] = [...ARMS, ...(process.argv.includes('--ceiling') ? [CEILING] : [])];
  console.log(`${new Date().toISOString()} load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`suggest (${mode}): start ${start} train lines${mode === 'validate' ? ' (scaled to the 70% of images kept)' : ''}, +${BUDGET} per arm, seeds ${seeds.join(',')}${trainSeeds > 1 ? `, each arm the mean of ${trainSeeds} training seeds` : ''}${params ? `, params ${JSON.stringify(params)}` : ''}`);
  for (const name of (flag('sets') ?? 'flowers,trash').split(',')) {
    const set = await loadAccuracySet(name);
    if (!set) {
      console.log(`${name}: skipped (no ${sharedDir}/datasets/${name})`);
      continue;
    }
    const gains: Record<string, number[]> = Object.fromEntries(arms.map((a) => [a, []]));
    const before: number[] = [];
    for (const seed of seeds) {
      const d = seedData(set, seed, mode, start);
      const { acc: acc0, emb: emb0 } = await meanAccuracy(set, d.start, seed, trainSeeds, d.score);
      before.push(acc0);
      const spent: Record<string, Spent> = {
        suggested: await spendOnSuggestions(set, d, emb0, BUDGET, seed, params),
        'random lines': spendOnRandomLines(d, BUDGET),
        'random triples': spendOnRandomTriples(set, d, BUDGET, seed),
        [CEILING]: spendOnRandomLines(d, d.rest.length),
      };
      const line: string[] = [`  seed ${seed}: before ${acc0.toFixed(4)}`];
      for (const arm of arms) {
        const { acc } = await meanAccuracy(set, [...d.start, ...spent[arm].added], seed, trainSeeds, d.score);
        gains[arm].push(acc - acc0);
        line.push(`${arm} ${(acc - acc0 >= 0 ? '+' : '') + (acc - acc0).toFixed(4)}`);
      }
      console.log(line.join(' | '));
      console.log(`    suggested: ${describe(spent.suggested)}; random triples: ${describe(spent['random triples'])}`);
    }
    console.log(`${new Date().toISOString()} load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`${name} (${mode}): before ${mean(before).toFixed(4)} ± ${sd(before).toFixed(4)}`);
    for (const arm of arms) console.log(`  gain ${arm.padEnd(15)} ${pm(gains[arm])}`);
    console.log(`  paired suggested − random lines ${pm(paired(gains.suggested, gains['random lines']))}`);
    console.log(`  ratio suggested / random lines ${describeRatio(gains.suggested, gains['random lines'])} (target ≥ 1.5)`);
    console.log(`  ratio suggested / random triples ${describeRatio(gains.suggested, gains['random triples'])}`);
  }
}
