// Development aid for the suggestion settings (validation only, never test.txt): per seed, one
// "before" model on 300 train lines (30% of the train images held out), then each variant of
// SuggestParams given as --variants='[{…},{…}]' spends 100 suggestions and retrains; the gain on
// the held-out images is printed next to 100 random train lines. `node --import tsx bench/suggest-tune.ts`.
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { loadAccuracySet } from './accuracy-data.js';
import { accuracy, fitAndEmbed, seedData, spendOnRandomLines, spendOnSuggestions } from './suggest-lib.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);
await initBackend();
const variants: object[] = JSON.parse(arg('variants') ?? '[{}]');
const seeds = (arg('seeds') ?? '1,2').split(',').map(Number);
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const sums = new Array(variants.length + 1).fill(0);
  for (const seed of seeds) {
    const d = seedData(set, seed, 'validate', 300);
    const rows = set.names.length;
    const emb0 = await fitAndEmbed(set, d.start, seed);
    const acc0 = accuracy(emb0, rows, d.score);
    const out: string[] = [`${name} seed ${seed} before ${acc0.toFixed(4)}`];
    const rl = process.argv.includes('--no-lines') ? 0 : accuracy(await fitAndEmbed(set, [...d.start, ...spendOnRandomLines(d, 100).added], seed), rows, d.score) - acc0;
    sums[0] += rl;
    out.push(`lines ${rl.toFixed(4)}`);
    for (const [i, v] of variants.entries()) {
      const sp = await spendOnSuggestions(set, d, emb0, 100, seed, v);
      const g = accuracy(await fitAndEmbed(set, [...d.start, ...sp.added], seed), rows, d.score) - acc0;
      sums[i + 1] += g;
      out.push(`v${i} ${g.toFixed(4)} (acc ${sp.counts.accept} sw ${sp.counts.swap} rej ${sp.counts.reject})`);
    }
    console.log(out.join(' | '));
  }
  console.log(`${name} mean gains: lines ${(sums[0] / seeds.length).toFixed(4)} ` + variants.map((v, i) => `v${i} ${JSON.stringify(v)} ${(sums[i + 1] / seeds.length).toFixed(4)}`).join(' '));
}
