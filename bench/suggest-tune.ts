// Development aid for the suggestion settings (validation only, never test.txt): per seed, one
// "before" model on 300 train lines (30% of the train images held out), then each variant of
// SuggestParams given as --variants='[{…},{…}]' spends 100 suggestions and retrains; the gain on
// 6,000 held-out triplets is printed next to 100 random train lines, with the paired difference and
// the ratio over seeds. `node --import tsx bench/suggest-tune.ts --sets=flowers --seeds=1,2,3 [--start=60]`.
import { loadavg } from 'node:os';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { loadAccuracySet } from './accuracy-data.js';
import { describeRatio, paired, pm } from './suggest-stats.js';
import { accuracy, fitAndEmbed, seedData, spendOnRandomLines, spendOnSuggestions } from './suggest-lib.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);
await initBackend();
const variants: object[] = JSON.parse(arg('variants') ?? '[{}]');
const seeds = (arg('seeds') ?? '1,2').split(',').map(Number);
// --start=N: start lines before scaling to the images kept (300 → 210; 60 → 42: a new project's few labels).
const start = Number(arg('start') ?? 300);
console.log(`${new Date().toISOString()} load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const lines: number[] = [];
  const gains: number[][] = variants.map(() => []);
  for (const seed of seeds) {
    const d = seedData(set, seed, 'validate', start);
    const rows = set.names.length;
    const emb0 = await fitAndEmbed(set, d.start, seed);
    const acc0 = accuracy(emb0, rows, d.score);
    const out: string[] = [`${name} seed ${seed} before ${acc0.toFixed(4)}`];
    const rl = accuracy(await fitAndEmbed(set, [...d.start, ...spendOnRandomLines(d, 100).added], seed), rows, d.score) - acc0;
    lines.push(rl);
    out.push(`lines ${rl.toFixed(4)}`);
    for (const [i, v] of variants.entries()) {
      const sp = await spendOnSuggestions(set, d, emb0, 100, seed, v);
      const g = accuracy(await fitAndEmbed(set, [...d.start, ...sp.added], seed), rows, d.score) - acc0;
      gains[i].push(g);
      const why = Object.entries(sp.reasons).map(([k, r]) => `${k} ${r.shown}/${r.rejected}`).join(' ');
      out.push(`v${i} ${g.toFixed(4)} (acc ${sp.counts.accept} sw ${sp.counts.swap} rej ${sp.counts.reject}; ${why})`);
    }
    console.log(out.join(' | '));
  }
  console.log(`${name}: lines ${pm(lines)}`);
  for (const [i, v] of variants.entries())
    console.log(`  v${i} ${JSON.stringify(v)} ${pm(gains[i])}; − lines ${pm(paired(gains[i], lines))}; ratio ${describeRatio(gains[i], lines)}`);
}
console.log(`${new Date().toISOString()} load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
