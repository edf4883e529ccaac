// Probe (not a product path): how much could 100 well-aimed labels add at all? An oracle that knows
// every image's class picks, greedily, the triplet whose answer adds the most implied triplets
// (suggest/structure.ts: joining groups of one class, keeping apart groups of two), then spends the
// rest of the budget on random lines. If even it gains little over random lines, no suggestion can.
// `node --import tsx bench/suggest-probe-oracle.ts [--start=300] [--mode=test|validate] [--k=2] [--sets=trash]`
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import type { Triplet } from '../src/main/ml/encoder/distances.js';
import { structureOf } from '../src/main/ml/suggest/structure.js';
import { labelCoverage } from '../src/main/ml/suggest/coverage.js';
import { groupImages } from '../src/main/ml/encoder/miners/groups.js';
import { loadAccuracySet, type AccuracySet } from './accuracy-data.js';
import { accuracy, classOf, fitAndEmbed, seedData, type SeedData } from './suggest-lib.js';
import { describeRatio, pm, paired } from './suggest-stats.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);

/** Greedy oracle picks: the triplet (one per group pair) adding the most implied triplets, answered truthfully. */
function oraclePicks(set: AccuracySet, d: SeedData, budget: number): { added: Triplet[]; aimed: number } {
  const train = [...d.start];
  const added: Triplet[] = [];
  const uses = new Map<number, number>();
  for (const t of train) for (const x of t) uses.set(x, (uses.get(x) ?? 0) + 1);
  let aimed = 0;
  while (added.length < budget) {
    const groups = groupImages(Int32Array.from(train.flat()));
    const s = structureOf(train, groups);
    const inGroup = new Set(groups.members.flat());
    const inPool = new Set(d.pool);
    // One unit per group (its least used pool member) and per loose pool image.
    const least = (m: number[]): number => m.reduce((b, x) => ((uses.get(x) ?? 0) < (uses.get(b) ?? 0) ? x : b), m[0]);
    const units = [
      ...groups.members.map((m) => m.filter((x) => inPool.has(x))).filter((m) => m.length > 0).map(least),
      ...d.pool.filter((x) => !inGroup.has(x)),
    ];
    let best: { v: number; t: Triplet } | null = null;
    for (const a of units)
      for (const p of units) {
        if (p === a || classOf(set, p) !== classOf(set, a)) continue;
        const ga = s.alikeGain(a, p);
        for (const n of units) {
          if (classOf(set, n) === classOf(set, a)) continue;
          const v = ga + s.apartGain(a, n);
          if (v > 0 && (!best || v > best.v)) best = { v, t: [a, p, n] };
        }
      }
    // Every pair is decided: the rest of the budget goes to random lines.
    if (!best) break;
    aimed++;
    added.push(best.t);
    train.push(best.t);
    for (const x of best.t) uses.set(x, (uses.get(x) ?? 0) + 1);
  }
  for (const t of d.rest) {
    if (added.length >= budget) break;
    added.push(t);
  }
  return { added, aimed };
}

await initBackend();
const start = Number(arg('start') ?? 300);
const mode = (arg('mode') ?? 'validate') as 'test' | 'validate';
const k = Number(arg('k') ?? 2);
const seeds = Array.from({ length: Number(arg('seeds') ?? 5) }, (_, i) => i + 1);
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const rows = set.names.length;
  const acc = async (train: Triplet[], seed: number, score: Int32Array): Promise<number> => {
    let s = 0;
    for (let i = 0; i < k; i++) s += accuracy(await fitAndEmbed(set, train, seed + 1000 * i), rows, score);
    return s / k;
  };
  const g = { lines: [] as number[], oracle: [] as number[] };
  for (const seed of seeds) {
    const d = seedData(set, seed, mode, start);
    const acc0 = await acc(d.start, seed, d.score);
    const o = oraclePicks(set, d, 100);
    const lines = d.rest.slice(0, 100);
    const cov = (t: Triplet[]): string => (labelCoverage(d.pool, t).decidedPairs * 100).toFixed(1) + '%';
    const gl = (await acc([...d.start, ...lines], seed, d.score)) - acc0;
    const go = (await acc([...d.start, ...o.added], seed, d.score)) - acc0;
    g.lines.push(gl), g.oracle.push(go);
    console.log(`${name} seed ${seed}: before ${acc0.toFixed(4)} (decided ${cov(d.start)}) | lines ${gl.toFixed(4)} (${cov([...d.start, ...lines])}) | oracle ${go.toFixed(4)} (${o.aimed} aimed, ${cov([...d.start, ...o.added])})`);
  }
  console.log(`${name} (${mode}, start ${start}, k ${k}): lines ${pm(g.lines)}; oracle ${pm(g.oracle)}; paired ${pm(paired(g.oracle, g.lines))}; ratio ${describeRatio(g.oracle, g.lines)}`);
}
