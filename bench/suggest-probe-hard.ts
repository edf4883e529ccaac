// Probe (not a product path): where does the value of 100 labels lie, and can a model that does not
// know the kinds find it? Three families of ways to spend the budget, each retrained and scored like
// bench/suggest.ts (docs/suggest-measurements.md, "Where the value of 100 labels lies"):
// - oracle (knows every image's kind, sees the "before" model's embedding): per anchor a positive of
//   its kind and a negative of another, the 100 with the largest loss kept (each image in ≤ 2):
//   hard (farthest positive, nearest negative), semi (the same within one margin), far-positive
//   (farthest positive, random negative), near-negative (random positive, nearest negative);
// - curator (knows kinds, as the user does): fresh random class-consistent triplets over the pool,
//   all ('curated') or only those the before model has a loss on ('guided', what the triplet
//   maker's judgement shows) or gets wrong ('guided-wrong'; gives up after 100,000 drawn);
// - model only (answered by the labeller, a rejection spends the budget): al-raw, al-near, al-link,
//   al-explore(-loss) (see each function; they show fewer than 100 when their candidates run out);
// - the product's suggestions (ml/suggest): 'suggested' (the defaults), 'suggested-ranked' (explore
//   0, the defaults before exploring), 'suggested-explore' / '-half' / '-strict' (explore 1, 0.5, or 1
//   with likelyAlike 0.85), and 'triples' (random image triples), as bench/suggest.ts spends them;
//   'suggested-pairs' / 'triples-pairs': the same, with each rejection answered "neither is like the
//   anchor" or "both are" and counted as labels (rejectionsAsLabels; session 10: not kept).
// - 'al-vote' / 'al-vote-far': exploring with the positive judged by its neighbours' groups (alVote;
//   session 11: rejected as often as exploring, gained less; not kept); 'suggested-hardneg': the
//   defaults with negatives at p(alike) ≤ 0.5 instead of 0.3 (session 11: mixed across sets; not kept).
// - 'al-self': a control, 100 triplets the labels already imply (no information, only weight).
// `node --import tsx bench/suggest-probe-hard.ts [--start=300] [--mode=validate|test] [--k=2] [--sets=flowers,trash] [--seeds=5] [--ways=far-positive,guided] [--raw-k=10] [--p-hi=0.7 --p-lo=0.3] [--vote-k=10 --vote-min=0.5]`
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import type { Triplet } from '../src/main/ml/encoder/distances.js';
import { seededRandom, shuffleInPlace } from '../src/main/ml/encoder/rng.js';
import { loadAccuracySet, type AccuracySet } from './accuracy-data.js';
import { accuracy, answer, classOf, fitAndEmbed, labelled, seedData, spendOnRandomTriples, spendOnSuggestions, type SeedData } from './suggest-lib.js';
import { groupImages, groupIndex, relationOf, type GroupIndex, type ImageGroups } from '../src/main/ml/encoder/miners/groups.js';
import { structureOf } from '../src/main/ml/suggest/structure.js';
import { calibrate } from '../src/main/ml/suggest/calibrate.js';
import { DEFAULT_SUGGEST_PARAMS } from '../src/main/ml/suggest/suggest.js';
import { describeRatio, pm, paired } from './suggest-stats.js';

const arg = (n: string): string | undefined => process.argv.find((x) => x.startsWith(`--${n}=`))?.slice(n.length + 3);

type Way = 'hard' | 'semi' | 'far-positive' | 'near-negative' | 'al-raw' | 'al-near' | 'al-link' | 'al-explore' | 'al-explore-loss' | 'al-vote' | 'al-vote-far' | 'al-self' | 'suggested' | 'suggested-ranked' | 'suggested-explore' | 'suggested-half' | 'suggested-strict' | 'suggested-hardneg' | 'suggested-pairs' | 'triples' | 'triples-pairs' | 'curated' | 'guided' | 'guided-wrong';
const WAYS: Way[] = ['hard', 'semi', 'far-positive', 'near-negative'];
const RAW_K = Number(arg('raw-k') ?? 10);

function cosine(x: Float32Array, dim: number, a: number, b: number): number {
  let s = 0, na = 0, nb = 0;
  for (let i = 0; i < dim; i++) {
    const u = x[a * dim + i], v = x[b * dim + i];
    s += u * v;
    na += u * u;
    nb += v * v;
  }
  return 1 - s / Math.sqrt(na * nb + 1e-12);
}

/**
 * Not an oracle: what a suggestion could do without knowing classes. For each anchor, a partner
 * among its RAW_K nearest by raw backbone features whose relation the labels do not decide, the one
 * the encoder puts farthest (alike by the backbone, pushed apart by training: a hard positive if
 * the labeller agrees), against the encoder-nearest image the labels keep apart from the anchor
 * (al-raw). With `near` (al-near): a random image the labels tie to the anchor, against the
 * encoder-nearest image of open relation (a hard negative if the labeller finds it unlike).
 * Answered by the labeller; a rejection spends the budget.
 */
function alRaw(set: AccuracySet, d: SeedData, emb: Float32Array, budget: number, near = false, seed = 1): { added: Triplet[]; rejected: number } {
  const e = emb.length / set.names.length;
  const m = DEFAULT_TRAIN_OPTIONS.margin;
  const ix = groupIndex(groupImages(Int32Array.from(d.start.flat())));
  const cands: { t: Triplet; loss: number }[] = [];
  const rand = seededRandom(seed * 131 + 7);
  for (const a of d.pool) {
    if (near) {
      // A random image the labels tie to the anchor, against the encoder-nearest image of unknown relation.
      const alike = d.pool.filter((x) => x !== a && relationOf(ix, a, x) === 1);
      const open = d.pool.filter((x) => x !== a && relationOf(ix, a, x) === null);
      if (!alike.length || !open.length) continue;
      const p = alike[Math.floor(rand() * alike.length)];
      const y = open.reduce((b, o) => (l2(emb, e, a, o) < l2(emb, e, a, b) ? o : b));
      cands.push({ t: [a, p, y], loss: l2(emb, e, a, p) - l2(emb, e, a, y) + m });
      continue;
    }
    const raw = d.pool.filter((x) => x !== a).map((x) => ({ x, c: cosine(set.plain, set.dim, a, x) })).sort((p, q) => p.c - q.c);
    const open = raw.slice(0, RAW_K).filter(({ x }) => relationOf(ix, a, x) === null);
    const apart = d.pool.filter((y) => relationOf(ix, a, y) === 0);
    if (!open.length || !apart.length) continue;
    const x = open.reduce((b, o) => (l2(emb, e, a, o.x) > l2(emb, e, a, b.x) ? o : b)).x;
    const y = apart.reduce((b, o) => (l2(emb, e, a, o) < l2(emb, e, a, b) ? o : b));
    cands.push({ t: [a, y, x], loss: l2(emb, e, a, x) - l2(emb, e, a, y) + m });
  }
  cands.sort((p, q) => q.loss - p.loss);
  return shownToLabeller(set, cands, budget);
}

const P_HI = Number(arg('p-hi') ?? 0.7);
const P_LO = Number(arg('p-lo') ?? 0.3);

/**
 * Not an oracle: a curator's random triplets made by the model. p(alike | d) is fitted on the start
 * lines' pairs in the before embedding; per anchor (random order) a random image of open relation
 * with p ≥ P_HI as positive and a random image with p ≤ P_LO as negative. 'loss' keeps only those the
 * before model has a loss on (the model-only twin of 'guided'). Answered by the labeller.
 */
function alExplore(set: AccuracySet, d: SeedData, emb: Float32Array, budget: number, keepLoss: boolean, seed: number): { added: Triplet[]; rejected: number } {
  const e = emb.length / set.names.length;
  const m = DEFAULT_TRAIN_OPTIONS.margin;
  const ix = groupIndex(groupImages(Int32Array.from(d.start.flat())));
  const dist: number[] = [], alike: number[] = [];
  for (const [a, p, n] of d.start) {
    dist.push(l2(emb, e, a, p), l2(emb, e, a, n));
    alike.push(1, 0);
  }
  // The product's p(alike | d) (calibrate.ts) with its default temperature; enough pairs, so no prior is needed.
  const pAlike = calibrate({ dist: Float64Array.from(dist), alike: Uint8Array.from(alike) }, new Float64Array(0), { temperature: DEFAULT_SUGGEST_PARAMS.temperature, minPairs: 40, priorQuantile: 0.15 });
  const rand = seededRandom(seed * 53 + 11);
  const anchors = [...d.pool];
  shuffleInPlace(anchors, rand);
  const cands: { t: Triplet }[] = [];
  for (let round = 0; round < (keepLoss ? 20 : 1); round++) {
    for (const a of anchors) {
      const pos = d.pool.filter((x) => x !== a && relationOf(ix, a, x) === null && pAlike(l2(emb, e, a, x)) >= P_HI);
      const neg = d.pool.filter((x) => x !== a && relationOf(ix, a, x) !== 1 && pAlike(l2(emb, e, a, x)) <= P_LO);
      if (!pos.length || !neg.length) continue;
      const p = pos[Math.floor(rand() * pos.length)];
      const n = neg[Math.floor(rand() * neg.length)];
      if (keepLoss && !(l2(emb, e, a, p) - l2(emb, e, a, n) + m > 0)) continue;
      cands.push({ t: [a, p, n] });
    }
    if (cands.length >= 3 * budget) break;
  }
  return shownToLabeller(set, cands, budget);
}

const VOTE_K = Number(arg('vote-k') ?? 10);
const VOTE_MIN = Number(arg('vote-min') ?? 0.5);

/**
 * Not an oracle (session 11): exploring with the positive judged by its neighbours, not by its
 * distance to the anchor. An image x of open relation to the anchor's group G is "likely of G" when
 * at least VOTE_MIN of its VOTE_K encoder-nearest grouped images outside its own group are in G
 * (for a grouped x, the mean over its group's members). Per anchor (random order): a random such x
 * ('al-vote') or the farthest ('al-vote-far', the oracle's far positive without the oracle), against
 * a random member of a group the labels keep apart from G (a certain negative). Answered by the labeller.
 */
function alVote(set: AccuracySet, d: SeedData, emb: Float32Array, budget: number, far: boolean, seed: number): { added: Triplet[]; rejected: number; found: number } {
  const e = emb.length / set.names.length;
  const groups = groupImages(Int32Array.from(d.start.flat()));
  const ix = groupIndex(groups);
  const inPool = new Set(d.pool);
  const knn = new Map<number, number[]>();
  for (const x of d.pool) {
    const gx = ix.group(x);
    const others = d.pool.filter((y) => y !== x && ix.group(y) !== undefined && (gx === undefined || ix.group(y) !== gx));
    others.sort((p, q) => l2(emb, e, x, p) - l2(emb, e, x, q));
    knn.set(x, others.slice(0, VOTE_K));
  }
  const voteOne = (x: number, g: number): number => knn.get(x)!.filter((y) => ix.group(y) === g).length / VOTE_K;
  const vote = (x: number, g: number): number => {
    const gx = ix.group(x);
    if (gx === undefined) return voteOne(x, g);
    const ms = groups.members[gx].filter((m) => inPool.has(m));
    return ms.reduce((s, m) => s + voteOne(m, g), 0) / ms.length;
  };
  const cands = fromGroupedAnchors(d, groups, ix, seed * 61 + 17, (a, g, apart, rand) => {
    const pos = d.pool.filter((x) => x !== a && relationOf(ix, a, x) === null && vote(x, g) >= VOTE_MIN);
    if (!pos.length) return null;
    const p = far ? pos.reduce((b, x) => (l2(emb, e, a, x) > l2(emb, e, a, b) ? x : b)) : pos[Math.floor(rand() * pos.length)];
    return [a, p, apart[Math.floor(rand() * apart.length)]];
  });
  return { ...shownToLabeller(set, cands, budget), found: cands.length };
}

/**
 * A control, not a way to suggest (session 11): triplets the labels already imply — per anchor in a
 * group (random order), a random group mate against a random member of a group kept apart. The
 * labeller's answer is known in advance, so they add no information, only weight; if they gained
 * like random lines, the lines' gain would be weight, not what they tell. Answered by the labeller.
 */
function alSelf(set: AccuracySet, d: SeedData, budget: number, seed: number): { added: Triplet[]; rejected: number } {
  const groups = groupImages(Int32Array.from(d.start.flat()));
  const ix = groupIndex(groups);
  const inPool = new Set(d.pool);
  const cands = fromGroupedAnchors(d, groups, ix, seed * 71 + 23, (a, g, apart, rand) => {
    const mates = groups.members[g].filter((x) => x !== a && inPool.has(x));
    return mates.length ? [a, mates[Math.floor(rand() * mates.length)], apart[Math.floor(rand() * apart.length)]] : null;
  });
  return shownToLabeller(set, cands, budget);
}

/**
 * Per pool anchor in a group, in a seeded random order: `pick` proposes a triplet (or null) from the
 * anchor, its group and the pool members of the groups kept apart from it (skipped when none).
 */
function fromGroupedAnchors(d: SeedData, groups: ImageGroups, ix: GroupIndex, seed: number, pick: (a: number, g: number, apart: number[], rand: () => number) => Triplet | null): { t: Triplet }[] {
  const inPool = new Set(d.pool);
  const rand = seededRandom(seed);
  const anchors = [...d.pool];
  shuffleInPlace(anchors, rand);
  const cands: { t: Triplet }[] = [];
  for (const a of anchors) {
    const g = ix.group(a);
    if (g === undefined) continue;
    const apart = groups.apart[g].flatMap((h) => groups.members[h]).filter((y) => inPool.has(y));
    if (!apart.length) continue;
    const t = pick(a, g, apart, rand);
    if (t) cands.push({ t });
  }
  return cands;
}

/** Shows ranked candidates to the labeller until the budget is spent (each image in ≤ 2, one per `key` when given); a rejection spends it too. */
function shownToLabeller(set: AccuracySet, cands: { t: Triplet; key?: string }[], budget: number): { added: Triplet[]; rejected: number } {
  const uses = new Map<number, number>();
  const seen = new Set<string>();
  const added: Triplet[] = [];
  let shown = 0;
  let rejected = 0;
  for (const { t, key } of cands) {
    if (shown >= budget) break;
    if ((key !== undefined && seen.has(key)) || t.some((x) => (uses.get(x) ?? 0) >= 2)) continue;
    if (key !== undefined) seen.add(key);
    shown++;
    for (const x of t) uses.set(x, (uses.get(x) ?? 0) + 1);
    const l = labelled(t, answer(set, t));
    if (l) added.push(l);
    else rejected++;
  }
  return { added, rejected };
}

/**
 * Not an oracle: join the labels' groups where the encoder puts two of them closest. For each anchor,
 * the encoder-nearest image whose relation the labels leave open (likely of the anchor's kind: a
 * positive that merges two groups, and every pair across them with it), against the encoder-nearest
 * image the labels keep apart from the anchor (a certain negative). Ranked by the implied triplets an
 * "alike" would add (structure.ts), one per pair of groups, each image in ≤ 2. Answered by the labeller.
 */
function alLink(set: AccuracySet, d: SeedData, emb: Float32Array, budget: number): { added: Triplet[]; rejected: number } {
  const e = emb.length / set.names.length;
  const groups = groupImages(Int32Array.from(d.start.flat()));
  const ix = groupIndex(groups);
  const s = structureOf(d.start, groups);
  const cands: { t: Triplet; gain: number; key: string }[] = [];
  for (const a of d.pool) {
    let y = -1, n = -1;
    for (const x of d.pool) {
      if (x === a) continue;
      const r = relationOf(ix, a, x);
      if (r === null && (y < 0 || l2(emb, e, a, x) < l2(emb, e, a, y))) y = x;
      if (r === 0 && (n < 0 || l2(emb, e, a, x) < l2(emb, e, a, n))) n = x;
    }
    if (y < 0 || n < 0) continue;
    const [ga, gy] = [ix.group(a) ?? -1 - a, ix.group(y) ?? -1 - y];
    cands.push({ t: [a, y, n], gain: s.alikeGain(a, y), key: ga < gy ? `${ga}:${gy}` : `${gy}:${ga}` });
  }
  cands.sort((p, q) => q.gain - p.gain);
  return shownToLabeller(set, cands, budget);
}

function l2(emb: Float32Array, e: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < e; i++) s += (emb[a * e + i] - emb[b * e + i]) ** 2;
  return Math.sqrt(s);
}

/** The oracle's 100 picks of one way, largest loss first, each image in at most 2 of them. */
function picks(set: AccuracySet, d: SeedData, emb: Float32Array, way: Way, budget: number, seed: number): Triplet[] {
  const e = emb.length / set.names.length;
  const m = DEFAULT_TRAIN_OPTIONS.margin;
  const rand = seededRandom(seed * 97 + 3);
  const any = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const cands: { t: Triplet; loss: number }[] = [];
  for (const a of d.pool) {
    const same = d.pool.filter((x) => x !== a && classOf(set, x) === classOf(set, a));
    const other = d.pool.filter((x) => classOf(set, x) !== classOf(set, a));
    if (!same.length || !other.length) continue;
    const far = same.reduce((b, x) => (l2(emb, e, a, x) > l2(emb, e, a, b) ? x : b));
    const near = other.reduce((b, x) => (l2(emb, e, a, x) < l2(emb, e, a, b) ? x : b));
    const p = way === 'near-negative' ? any(same) : far;
    const n = way === 'far-positive' ? any(other) : near;
    const loss = l2(emb, e, a, p) - l2(emb, e, a, n) + m;
    if (way === 'semi' && !(loss > 0 && loss <= m)) continue;
    cands.push({ t: [a, p, n], loss });
  }
  cands.sort((x, y) => y.loss - x.loss);
  const uses = new Map<number, number>();
  const out: Triplet[] = [];
  for (const { t } of cands) {
    if (out.length >= budget) break;
    if (t.some((x) => (uses.get(x) ?? 0) >= 2)) continue;
    out.push(t);
    for (const x of t) uses.set(x, (uses.get(x) ?? 0) + 1);
  }
  // Fewer candidates than the budget (semi-hard): the rest goes to random lines, as the oracle probe does.
  for (const t of d.rest) if (out.length < budget) out.push(t);
  return out;
}

/**
 * A curator who knows kinds (as the user does) makes random triplets — an image of the anchor's kind,
 * one of another — over the pool: all of them ('curated'), or only those the triplet maker's
 * judgement (shared/judgement-text.ts, the before model) says teach: a loss above 0 ('guided'), or
 * the wrong way round ('guided-wrong'). Returns the 100 kept and how many were made to keep them.
 */
function curated(set: AccuracySet, d: SeedData, emb: Float32Array, keep: 'all' | 'loss' | 'wrong', budget: number, seed: number): { added: Triplet[]; made: number } {
  const e = emb.length / set.names.length;
  const m = DEFAULT_TRAIN_OPTIONS.margin;
  const rand = seededRandom(seed * 7 + 101);
  const any = (): number => d.pool[Math.floor(rand() * d.pool.length)];
  const added: Triplet[] = [];
  let made = 0;
  while (added.length < budget && made < 100_000) {
    const [a, p, n] = [any(), any(), any()];
    if (a === p || classOf(set, p) !== classOf(set, a) || classOf(set, n) === classOf(set, a)) continue;
    made++;
    const [dap, dan] = [l2(emb, e, a, p), l2(emb, e, a, n)];
    if (keep === 'all' || (keep === 'loss' && dap - dan + m > 0) || (keep === 'wrong' && dap >= dan)) added.push([a, p, n]);
  }
  return { added, made };
}

/**
 * A rejection answered as the user would with two keys: "neither is like the anchor" (A≁P, A≁N) or
 * "both are" (A~P, A~N). Each becomes ≤ 2 triplets through a group mate m of A (neither: (A,m,P),
 * (A,m,N)) or an image z held apart from A's group (both: (A,P,z), (A,N,z)): what pair labels
 * would add to the groups.
 */
function rejectionsAsLabels(set: AccuracySet, labels: Triplet[], rejected: Triplet[]): { added: Triplet[]; neither: number; both: number; none: number } {
  const groups = groupImages(Int32Array.from(labels.flat()));
  const ix = groupIndex(groups);
  const out = { added: [] as Triplet[], neither: 0, both: 0, none: 0 };
  for (const [a, p, n] of rejected) {
    const ca = classOf(set, a);
    const both = classOf(set, p) === ca && classOf(set, n) === ca;
    both ? out.both++ : out.neither++;
    const g = ix.group(a);
    if (g === undefined) { out.none++; continue; }
    if (!both) {
      const m = groups.members[g].find((x) => x !== a);
      if (m === undefined) { out.none++; continue; }
      out.added.push([a, m, p], [a, m, n]);
    } else {
      const h = groups.apart[g][0];
      if (h === undefined) { out.none++; continue; }
      const z = groups.members[h][0];
      out.added.push([a, p, z], [a, n, z]);
    }
  }
  return out;
}

await initBackend();
const start = Number(arg('start') ?? 300);
const mode = (arg('mode') ?? 'validate') as 'test' | 'validate';
const k = Number(arg('k') ?? 2);
const seeds = Array.from({ length: Number(arg('seeds') ?? 5) }, (_, i) => i + 1);
const ways = (arg('ways')?.split(',') as Way[] | undefined) ?? WAYS;
for (const name of (arg('sets') ?? 'flowers,trash').split(',')) {
  const set = (await loadAccuracySet(name))!;
  const rows = set.names.length;
  const fit = async (train: Triplet[], seed: number, score: Int32Array): Promise<{ acc: number; emb: Float32Array }> => {
    let s = 0;
    let first: Float32Array | null = null;
    for (let i = 0; i < k; i++) {
      const emb = await fitAndEmbed(set, train, seed + 1000 * i);
      first ??= emb;
      s += accuracy(emb, rows, score);
    }
    return { acc: s / k, emb: first! };
  };
  const g: Record<string, number[]> = Object.fromEntries(['lines', ...ways].map((w) => [w, []]));
  for (const seed of seeds) {
    const d = seedData(set, seed, mode, start);
    const before = await fit(d.start, seed, d.score);
    const parts = [`${name} seed ${seed}: before ${before.acc.toFixed(4)}`];
    const gl = (await fit([...d.start, ...d.rest.slice(0, 100)], seed, d.score)).acc - before.acc;
    g.lines.push(gl);
    parts.push(`lines ${gl.toFixed(4)}`);
    for (const w of ways) {
      if (w === 'curated' || w === 'guided' || w === 'guided-wrong') {
        const c = curated(set, d, before.emb, w === 'curated' ? 'all' : w === 'guided' ? 'loss' : 'wrong', 100, seed);
        const gc = (await fit([...d.start, ...c.added], seed, d.score)).acc - before.acc;
        g[w].push(gc);
        parts.push(`${w} ${gc.toFixed(4)} (made ${c.made})`);
        continue;
      }
      if (w === 'suggested-pairs' || w === 'triples-pairs') {
        // Rejections answered "neither is like the anchor" / "both are", counted as labels through a group mate.
        const sp = w === 'suggested-pairs' ? await spendOnSuggestions(set, d, before.emb, 100, seed) : spendOnRandomTriples(set, d, 100, seed);
        const extra = rejectionsAsLabels(set, [...d.start, ...sp.added], sp.rejectedShown ?? []);
        const gs = (await fit([...d.start, ...sp.added, ...extra.added], seed, d.score)).acc - before.acc;
        g[w].push(gs);
        parts.push(`${w} ${gs.toFixed(4)} (added ${sp.added.length} + ${extra.added.length} from ${sp.counts.reject} rejected; neither ${extra.neither}, both ${extra.both}, no mate ${extra.none})`);
        continue;
      }
      if (w.startsWith('suggested') || w === 'triples') {
        // The product's suggestions: the defaults, only ranked (the defaults before exploring), all exploring or half (SuggestParams.explore), or exploring only
        // positives with p(alike) ≥ 0.85 instead of 0.7 (fewer rejections?).
        const params = { suggested: {}, 'suggested-ranked': { explore: 0 }, 'suggested-explore': { explore: 1 }, 'suggested-half': { explore: 0.5 }, 'suggested-strict': { explore: 1, likelyAlike: 0.85 }, 'suggested-hardneg': { likelyDifferent: 0.5 } }[w as string];
        const sp = params ? await spendOnSuggestions(set, d, before.emb, 100, seed, params) : spendOnRandomTriples(set, d, 100, seed);
        const gs = (await fit([...d.start, ...sp.added], seed, d.score)).acc - before.acc;
        g[w].push(gs);
        parts.push(`${w} ${gs.toFixed(4)} (added ${sp.added.length}, rejected ${sp.counts.reject}; ${Object.entries(sp.reasons).map(([k, r]) => `${k} ${r.shown}`).join(' ')})`);
        continue;
      }
      const al = w === 'al-self' ? alSelf(set, d, 100, seed) : w === 'al-vote' || w === 'al-vote-far' ? alVote(set, d, before.emb, 100, w === 'al-vote-far', seed) : w === 'al-explore' || w === 'al-explore-loss' ? alExplore(set, d, before.emb, 100, w === 'al-explore-loss', seed) : w === 'al-link' ? alLink(set, d, before.emb, 100) : w === 'al-raw' || w === 'al-near' ? alRaw(set, d, before.emb, 100, w === 'al-near', seed) : null;
      const gw = (await fit([...d.start, ...(al ? al.added : picks(set, d, before.emb, w, 100, seed))], seed, d.score)).acc - before.acc;
      g[w].push(gw);
      parts.push(`${w} ${gw.toFixed(4)}${al ? ` (added ${al.added.length}, rejected ${al.rejected}${'found' in al ? `, found ${al.found}` : ''})` : ''}`);
    }
    console.log(parts.join(' | '));
  }
  console.log(`${name} (${mode}, start ${start}, k ${k}): lines ${pm(g.lines)}`);
  for (const w of ways) console.log(`  ${w}: ${pm(g[w])}; − lines ${pm(paired(g[w], g.lines))}; ratio ${describeRatio(g[w], g.lines)}`);
}
