// Probe (validation only, not a product path): would rejected suggestions be worth something if a
// rejection decided the unknown image whenever the other is known like/unlike the anchor from the
// start labels' groups? `node --import tsx bench/suggest-probe-reject.ts [--start=60] [--sets=flowers,trash]`.
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import type { Triplet } from '../src/main/ml/encoder/distances.js';
import { groupImages } from '../src/main/ml/encoder/miners/groups.js';
import { suggestTriplets, tripletKey } from '../src/main/ml/suggest/suggest.js';
import { loadAccuracySet } from './accuracy-data.js';
import { accuracy, answer, fitAndEmbed, labelled, seedData, spendOnRandomLines } from './suggest-lib.js';
import { describeRatio, pm } from './suggest-stats.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);
await initBackend();
const start = Number(arg('start') ?? 60);
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const g = { lines: [] as number[], sugg: [] as number[], deduced: [] as number[] };
  for (const seed of [1, 2, 3, 4, 5]) {
    const d = seedData(set, seed, 'validate', start);
    const rows = set.names.length;
    const emb = await fitAndEmbed(set, d.start, seed);
    const acc0 = accuracy(emb, rows, d.score);
    const e = emb.length / rows;
    const vectors = new Map(d.pool.map((r) => [r, emb.subarray(r * e, (r + 1) * e)]));
    const skip = new Set(d.start.map(([a, p, n]) => tripletKey(a, p, n)));
    const s = await suggestTriplets({ pool: d.pool, vectors, distance: 'l2', margin: DEFAULT_TRAIN_OPTIONS.margin, train: d.start, skip, count: 100, seed });
    const groups = groupImages(Int32Array.from(d.start.flat()));
    const groupOf = new Map<number, number>();
    groups.members.forEach((m, i) => m.forEach((r) => groupOf.set(r, i)));
    const known = (i: number, j: number): 0 | 1 | null => {
      const [gi, gj] = [groupOf.get(i), groupOf.get(j)];
      if (gi === undefined || gj === undefined) return null;
      return gi === gj ? 1 : groups.apart[gi].includes(gj) ? 0 : null;
    };
    const mate = (a: number): number | undefined => groups.members[groupOf.get(a)!]?.find((r) => r !== a);
    const apartOne = (a: number): number | undefined => {
      const ga = groupOf.get(a);
      const h = ga === undefined ? undefined : groups.apart[ga][0];
      return h === undefined ? undefined : groups.members[h][0];
    };
    const added: Triplet[] = [];
    const deduced: Triplet[] = [];
    for (const x of s) {
      const t: Triplet = [x.anchor, x.positive, x.negative];
      const ans = answer(set, t);
      const l = labelled(t, ans);
      if (l) {
        added.push(l);
        continue;
      }
      const [A, X, Y] = t;
      for (const [u, v] of [[X, Y], [Y, X]] as const) {
        const k = known(A, v);
        if (k === 0) {
          const p = mate(A);
          if (p !== undefined && p !== u) (deduced.push([A, p, u]), 0);
          break;
        }
        if (k === 1) {
          const n = apartOne(A);
          if (n !== undefined && n !== u) deduced.push([A, u, n]);
          break;
        }
      }
    }
    const wrong = deduced.filter((t) => answer(set, t) !== 'accept').length;
    const gl = accuracy(await fitAndEmbed(set, [...d.start, ...spendOnRandomLines(d, 100).added], seed), rows, d.score) - acc0;
    const gs = accuracy(await fitAndEmbed(set, [...d.start, ...added], seed), rows, d.score) - acc0;
    const gd = accuracy(await fitAndEmbed(set, [...d.start, ...added, ...deduced], seed), rows, d.score) - acc0;
    g.lines.push(gl), g.sugg.push(gs), g.deduced.push(gd);
    console.log(`${name} seed ${seed}: before ${acc0.toFixed(4)} | lines ${gl.toFixed(4)} | suggested ${gs.toFixed(4)} (${added.length} labels) | + deduced ${gd.toFixed(4)} (${deduced.length} deduced of ${100 - added.length} rejected, ${wrong} wrong)`);
  }
  console.log(`${name}: lines ${pm(g.lines)}; suggested ${pm(g.sugg)} ratio ${describeRatio(g.sugg, g.lines)}; + deduced ${pm(g.deduced)} ratio ${describeRatio(g.deduced, g.lines)}`);
}
