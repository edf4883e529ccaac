// Choosing triplets for the user to label (active learning). With a run's encoder the batch first
// explores (./explore.ts: a random likely-alike image no label ties to the anchor, against a random
// likely-different one: on validation these taught more than the ranked candidates below); the
// ranked candidates fill what exploring cannot (once labels tie most likely-alike pairs) and make
// the whole batch on raw features. Every ranked candidate is an anchor with two
// of its near neighbours in the current embedding; the one the model finds closer is shown as the
// positive. A candidate is worth a label when it is answerable (exactly one of the two is likely
// alike the anchor — else the labeller can only reject it) and informative (the expected triplet
// loss once labelled is high: the model is unsure, or likely wrong), weighted by p(answerable)²
// because a rejection spends the labeller's keypress for nothing. Under implied-triplet training a
// label is also worth the implied triplets it adds (./structure.ts: a positive that ties a loose
// image or group to another group, a negative between groups not yet apart); that value, weighted
// by structureWeight, joins the expected loss. Images in no triplet yet get a bonus (coverage); the
// batch is spread over many anchors and images.
import type { Distance, LabelCoverage, SuggestionReason } from '../../../shared/types.js';
import { distance as distanceOf, type Triplet } from '../encoder/distances.js';
import { seededRandom, shuffleInPlace } from '../encoder/rng.js';
import { calibrate, type SameProbability } from './calibrate.js';
import type { Evidence } from './evidence.js';
import { groupImages, type ImageGroups } from '../encoder/miners/groups.js';
import { labelCoverage } from './coverage.js';
import { exploreTriplets } from './explore.js';
import { structureOf, type Structure } from './structure.js';

export interface Suggestion {
  anchor: number;
  /** The image the model finds closer to the anchor. */
  positive: number;
  negative: number;
  reason: SuggestionReason;
  dAP: number;
  dAN: number;
  /** Estimated chance that exactly one of positive/negative is alike the anchor (the labeller can answer). */
  answerable: number;
  /** Estimated chance the labeller swaps it (the model has it the wrong way round). */
  swap: number;
  score: number;
}

export interface SuggestParams {
  /** Nearest neighbours of each anchor among which positive and negative are chosen (plus sparser farther ones). */
  neighbours: number;
  /** Flattens p(alike | distance) fitted on train pairs (which the encoder has overfitted). */
  temperature: number;
  /** Score multiplier per image of the triplet that is in no triplet yet. */
  coverageBonus: number;
  /** How many suggestions of one batch may use the same image. */
  maxUsesPerImage: number;
  /** Score multiplier when the labels already imply the answer (both pairs known). */
  impliedFactor: number;
  /** Also pair each anchor with sparser, farther images (ranks ×farStep beyond the nearest). */
  farPartners: boolean;
  /** Rank ratio between successive far partners (smaller: more far partners). */
  farStep: number;
  /** Caps the loss of a swapped triplet at this many margins (limits trust in unlikely swaps). */
  lossCap: number;
  /** Largest pool compared pairwise (images beyond are sampled, unused images first). */
  poolCap: number;
  /**
   * Weight of the "model has it the wrong way round" term of the score. Below 1 it prefers
   * semi-hard triplets (right, but inside the margin) to hard ones: training on the hardest,
   * often ambiguous images lowered accuracy on the trash set.
   */
  swapWeight: number;
  /**
   * Score multiplier when exactly one of the two pairs is known from the labels (e.g. the positive
   * is linked to the anchor): the labeller then only judges the other image, so fewer rejections.
   */
  oneKnownFactor: number;
  /** Extra weight on answerability: the score is multiplied by p(answerable)^answerPower (rejections spend the budget). */
  answerPower: number;
  /**
   * Weight of the implied triplets a label would add (./structure.ts: expected new implied triplets
   * as a share of those implied now), added to the expected loss. 0 ranks by the loss alone.
   */
  structureWeight: number;
  /**
   * Share of the batch made by exploring (./explore.ts: a random likely-alike image no label ties
   * to the anchor, against a random likely-different one); the ranked candidates fill the rest.
   */
  explore: number;
  /** p(alike) at or above which an exploring positive is drawn. */
  likelyAlike: number;
  /** p(alike) at or below which an exploring negative is drawn. */
  likelyDifferent: number;
}

export const DEFAULT_SUGGEST_PARAMS: SuggestParams = {
  neighbours: 30,
  temperature: 2,
  coverageBonus: 0.5,
  maxUsesPerImage: 2,
  impliedFactor: 0.3,
  poolCap: 2000,
  farPartners: true,
  farStep: 1.2,
  lossCap: Number.POSITIVE_INFINITY,
  swapWeight: 1,
  oneKnownFactor: 1,
  answerPower: 2,
  structureWeight: 10,
  explore: 1,
  likelyAlike: 0.7,
  likelyDifferent: 0.3,
};

export interface SuggestInput {
  /** Images suggestions may use (never images of test triplets). */
  pool: readonly number[];
  vectors: ReadonlyMap<number, Float32Array>;
  distance: Distance;
  /**
   * The training margin: a labelled triplet teaches the model only while d(A,N) − d(A,P) < margin.
   * Omitted (raw features): a quarter of the median pairwise distance.
   */
  margin?: number;
  /** Active train triplets [anchor, positive, negative]. */
  train: readonly Triplet[];
  /** Triplets never to propose again (rejected, already stored): keys from tripletKey. */
  skip: ReadonlySet<string>;
  count: number;
  seed?: number;
  params?: Partial<SuggestParams>;
}

/** Order-free key of a suggestion (anchor + the unordered pair), as stored for rejections. */
export function tripletKey(anchor: number, x: number, y: number): string {
  return x < y ? `${anchor}:${x}:${y}` : `${anchor}:${y}:${x}`;
}

const ALIKE_KNOWN = 0.97;

/** Caps the pool: images in no train triplet first, then a seeded sample of the rest. */
function cappedPool(input: SuggestInput, ev: Pick<Evidence, 'uses'>, cap: number, rand: () => number): number[] {
  const ids = input.pool.filter((id) => input.vectors.has(id));
  if (ids.length <= cap) return ids;
  shuffleInPlace(ids, rand);
  ids.sort((a, b) => Math.min(ev.uses(a), 1) - Math.min(ev.uses(b), 1));
  return ids.slice(0, cap);
}

/** Distances from one image to every image of the pool. */
function rowOf(vs: Float32Array[], i: number, kind: Distance): Float32Array {
  const row = new Float32Array(vs.length);
  for (let j = 0; j < vs.length; j++) row[j] = j === i ? 0 : distanceOf(kind, vs[i], vs[j]);
  return row;
}

/** A seeded sample of pairwise distances (the prior when there are too few labels, and the raw margin). */
function sampleDistances(vs: Float32Array[], kind: Distance, rand: () => number): Float64Array {
  const n = vs.length;
  const out = new Float64Array(Math.min(4000, (n * (n - 1)) / 2));
  for (let k = 0; k < out.length; k++) {
    const i = Math.floor(rand() * n);
    const j = (i + 1 + Math.floor(rand() * (n - 1))) % n;
    out[k] = distanceOf(kind, vs[i], vs[j]);
  }
  return out;
}

/** p(alike | distance), fitted on the train triplets' anchor–positive and anchor–negative pairs. */
function sameProbability(input: SuggestInput, vec: (id: number) => Float32Array, sample: Float64Array, temperature: number): SameProbability {
  const usable = input.train.filter((t) => t.every((id) => input.vectors.has(id)));
  const dist = new Float64Array(usable.length * 2);
  const alike = new Uint8Array(usable.length * 2);
  usable.forEach(([a, p, n], i) => {
    const va = vec(a);
    dist[2 * i] = distanceOf(input.distance, va, vec(p));
    alike[2 * i] = 1;
    dist[2 * i + 1] = distanceOf(input.distance, va, vec(n));
  });
  return calibrate({ dist, alike }, sample, { temperature, minPairs: 40, priorQuantile: 0.15 });
}

/**
 * Candidate partners of row i, nearest first: its `k` nearest, then ever sparser ranks beyond
 * (×step each). Far partners matter when the embedding is clean: all of an anchor's nearest images
 * may be alike, and a triplet of alike images can only be rejected.
 */
function partners(row: Float32Array, i: number, k: number, far: boolean, step: number): number[] {
  // Sorts (distance, index) packed in one float64 (a non-negative float32's bits keep its order),
  // a native typed-array sort instead of a comparator sort.
  const bits = new Uint32Array(row.buffer, row.byteOffset, row.length);
  const keys = new Float64Array(row.length - 1);
  let n = 0;
  for (let j = 0; j < row.length; j++) if (j !== i) keys[n++] = bits[j] * INDEX_SPACE + j;
  keys.sort();
  const idx = (r: number): number => keys[r] % INDEX_SPACE;
  const out: number[] = [];
  for (let r = 0; r < Math.min(k, n); r++) out.push(idx(r));
  if (far) for (let r = Math.max(k, 1); r < n; r = Math.max(r + 1, Math.ceil(r * step))) if (r >= k) out.push(idx(r));
  return out;
}

/** Pool indices fit in 21 bits (the pool is capped far below 2M), a float32's bits in the other 32. */
const INDEX_SPACE = 2 ** 21;

/**
 * Long raw feature vectors (768-d and more, before any run) are projected to PROJECTED_DIM with a
 * seeded Gaussian matrix: l2 distances are kept within a few percent, at a fraction of the cost.
 */
const PROJECTED_DIM = 96;

function projection(dim: number, kind: Distance, rand: () => number): (v: Float32Array) => Float32Array {
  if (kind !== 'l2' || dim <= PROJECTED_DIM * 2) return (v) => v;
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const R = Float32Array.from({ length: dim * PROJECTED_DIM }, () => gauss() / Math.sqrt(PROJECTED_DIM));
  return (v) => {
    const out = new Float32Array(PROJECTED_DIM);
    for (let i = 0; i < dim; i++) {
      const x = v[i];
      if (x === 0) continue;
      const base = i * PROJECTED_DIM;
      for (let j = 0; j < PROJECTED_DIM; j++) out[j] += x * R[base + j];
    }
    return out;
  };
}

interface Scored extends Suggestion {
  anchorIx: number;
  /** The share of the score from new implied triplets (before the multipliers). */
  structural: number;
}

interface Context {
  ids: number[];
  vs: Float32Array[];
  input: SuggestInput;
  ev: Structure;
  margin: number;
  params: SuggestParams;
  pAlike: (i: number, j: number, d: number) => { p: number; known: boolean };
}

/** Expected loss of a candidate once labelled, given p(alike) of each partner (x shown as the positive). */
function expectedLoss(px: number, py: number, dx: number, dy: number, m: number, cap: number, swapWeight: number): number {
  const accept = px * (1 - py);
  const swap = py * (1 - px);
  // As shown: small when the model is sure; swapped: the model had it wrong, large.
  return accept * Math.max(dx - dy + m, 0) + swapWeight * swap * Math.min(dy - dx + m, cap * m);
}

/** p(exactly one of the two is alike the anchor): the labeller can answer rather than reject. */
const answerableOf = (px: number, py: number): number => px * (1 - py) + py * (1 - px);

const TOP_PER_ANCHOR = 4;

/**
 * The best few candidates of one anchor, skipping triplets that must not come back. The pair loop
 * is plain arithmetic on per-partner values; objects are made only for the few kept.
 */
function candidatesOfAnchor(ctx: Context, a: number): Scored[] {
  const { ids, input, params, ev } = ctx;
  const row = rowOf(ctx.vs, a, input.distance);
  const near = partners(row, a, params.neighbours, params.farPartners, params.farStep);
  const A = ids[a];
  const d = near.map((j) => row[j]);
  const alike = near.map((j) => ctx.pAlike(A, ids[j], row[j]));
  const unused = near.map((j) => (ev.uses(ids[j]) === 0 ? 1 : 0));
  const anchorUnused = ev.uses(A) === 0 ? 1 : 0;
  const sw = params.structureWeight;
  const alikeGain = near.map((j) => (sw > 0 ? sw * ev.alikeGain(A, ids[j]) : 0));
  const apartGain = near.map((j) => (sw > 0 ? sw * ev.apartGain(A, ids[j]) : 0));
  const best: { score: number; u: number; v: number; structural: number }[] = [];
  for (let u = 0; u < near.length; u++)
    for (let v = u + 1; v < near.length; v++) {
      // near is sorted by distance: u is the closer one, shown as the positive.
      const loss = expectedLoss(alike[u].p, alike[v].p, d[u], d[v], ctx.margin, params.lossCap, params.swapWeight);
      const [pu, pv] = [alike[u].p, alike[v].p];
      // Accepted: u joins the anchor, v is kept apart; swapped: the other way round.
      const gain = pu * (1 - pv) * (alikeGain[u] + apartGain[v]) + pv * (1 - pu) * (alikeGain[v] + apartGain[u]);
      let score = loss + gain;
      const structural = score > 0 ? gain / score : 0;
      if (params.answerPower > 0) score *= answerableOf(alike[u].p, alike[v].p) ** params.answerPower;
      if (alike[u].known && alike[v].known) score *= params.impliedFactor;
      else if (alike[u].known || alike[v].known) score *= params.oneKnownFactor;
      score *= 1 + params.coverageBonus * (anchorUnused + unused[u] + unused[v]);
      if (!(score > 0) || (best.length === TOP_PER_ANCHOR && score <= best[TOP_PER_ANCHOR - 1].score)) continue;
      if (input.skip.has(tripletKey(A, ids[near[u]], ids[near[v]]))) continue;
      best.push({ score, u, v, structural });
      best.sort((p, q) => q.score - p.score);
      if (best.length > TOP_PER_ANCHOR) best.pop();
    }
  return best.map(({ score, u, v, structural }) => ({ ...describe(ctx, a, near[u], near[v], d[u], d[v], alike[u].p, alike[v].p, score), structural }));
}

/** A kept candidate with its reason and estimates. */
function describe(ctx: Context, a: number, x: number, y: number, dx: number, dy: number, px: number, py: number, score: number): Omit<Scored, 'structural'> {
  const { ids, ev } = ctx;
  const [A, X, Y] = [ids[a], ids[x], ids[y]];
  const unused = [A, X, Y].some((id) => ev.uses(id) === 0);
  const hard = ev.known(A, Y) === 0 || ev.known(A, X) === 0;
  const reason: SuggestionReason = unused ? 'coverage' : hard ? 'hard-negative' : 'uncertain';
  const accept = px * (1 - py);
  const swap = py * (1 - px);
  const answerable = accept + swap;
  return { anchor: A, positive: X, negative: Y, reason, dAP: dx, dAN: dy, answerable, swap: answerable > 0 ? swap / answerable : 0, score, anchorIx: a };
}

/**
 * Greedy pick by score: one suggestion per anchor, each image in at most `maxUses` of them. When
 * that leaves the batch short, anchors may repeat, then the limit rises one use at a time (and so
 * on), keeping what was picked, so the batch stays spread instead of piling onto a few images.
 */
function pickSpread(cands: Scored[], count: number, maxUses: number, first: readonly Suggestion[] = []): Suggestion[] {
  cands.sort((p, q) => q.score - p.score);
  const uses = new Map<number, number>();
  const anchors = new Set<number>();
  const taken = new Set<Scored>();
  const picked: Suggestion[] = [];
  // Suggestions already chosen another way (exploring) count against the same limits.
  for (const s of first) {
    picked.push(s);
    anchors.add(s.anchor);
    for (const id of [s.anchor, s.positive, s.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  }
  const seen = new Set(first.map((s) => tripletKey(s.anchor, s.positive, s.negative)));
  const pass = (limit: number, onePerAnchor: boolean): void => {
    for (const c of cands) {
      if (picked.length >= count) return;
      if (taken.has(c) || (onePerAnchor && anchors.has(c.anchor)) || seen.has(tripletKey(c.anchor, c.positive, c.negative))) continue;
      if ([c.anchor, c.positive, c.negative].some((id) => (uses.get(id) ?? 0) >= limit)) continue;
      taken.add(c);
      anchors.add(c.anchor);
      for (const id of [c.anchor, c.positive, c.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
      const { anchorIx: _, structural, ...s } = c;
      // Mostly worth the implied triplets it adds (it ties loose images to groups): coverage.
      picked.push(structural > 0.5 ? { ...s, reason: 'coverage' } : s);
    }
  };
  // At each limit an anchor may repeat before any image may be used once more: in a small pool the
  // anchors run out first, and raising the limit alone piled 17 suggestions onto one image of 102.
  for (let limit = maxUses; picked.length < count && limit <= maxUses + 8; limit++) {
    pass(limit, true);
    pass(limit, false);
  }
  // Tiny pools: images may be used without limit rather than return fewer than asked.
  if (picked.length < count) pass(Number.POSITIVE_INFINITY, false);
  return picked;
}

export interface SuggestControl {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Up to `count` suggestions, best first. Works anchor by anchor (memory grows with the pool, not
 * its square) and yields to the event loop every ~30 ms, so a host stays responsive and can cancel.
 */
export function suggestTriplets(input: SuggestInput, control: SuggestControl = {}): Promise<Suggestion[]> {
  return suggestFrom(input, control, groupImages(Int32Array.from(input.train.flat())));
}

/** Suggestions and how much of the pool the labels already decide (./coverage.ts), from one grouping of the train triplets. */
export async function suggestWithCoverage(input: SuggestInput, control: SuggestControl = {}): Promise<{ suggestions: Suggestion[]; coverage: LabelCoverage }> {
  const groups = groupImages(Int32Array.from(input.train.flat()));
  return { suggestions: await suggestFrom(input, control, groups), coverage: labelCoverage(input.pool, input.train, groups) };
}

async function suggestFrom(input: SuggestInput, control: SuggestControl, groups: ImageGroups): Promise<Suggestion[]> {
  const params = { ...DEFAULT_SUGGEST_PARAMS, ...input.params };
  const ev = structureOf(input.train, groups);
  const rand = seededRandom(input.seed ?? 1);
  const ids = cappedPool(input, ev, params.poolCap, rand);
  if (ids.length < 3 || input.count <= 0) return [];
  // One (possibly projected) vector per image, for the pool and the labelled images alike.
  const project = projection(input.vectors.get(ids[0])!.length, input.distance, rand);
  const cache = new Map<number, Float32Array>();
  const vec = (id: number): Float32Array => cache.get(id) ?? cache.set(id, project(input.vectors.get(id)!)).get(id)!;
  const vs = ids.map(vec);
  const sample = sampleDistances(vs, input.distance, rand);
  const ps = sameProbability(input, vec, sample, params.temperature);
  const pAlike = (i: number, j: number, d: number): { p: number; known: boolean } => {
    const k = ev.known(i, j);
    return k === null ? { p: ps(d), known: false } : { p: k ? ALIKE_KNOWN : 1 - ALIKE_KNOWN, known: true };
  };
  // Without a training margin (raw features), a quarter of the median distance plays its part.
  const margin = input.margin ?? median(sample) / 4;
  const ctx: Context = { ids, vs, input, ev, margin, params, pAlike };
  let last = performance.now();
  /** Progress, a yield to the event loop and the cancel check, every ~30 ms. */
  const tick = async (done: number, total: number): Promise<void> => {
    if (performance.now() - last <= 30) return;
    control.onProgress?.(done, total);
    await yieldToEventLoop();
    control.signal?.throwIfAborted();
    last = performance.now();
  };
  // Exploring needs p(alike) from an encoder's distances (validated only there); on raw features
  // (no run, no margin) the ranked candidates keep images in no triplet first.
  const share = input.margin === undefined ? 0 : params.explore;
  const explored = await explore(ctx, Math.round(input.count * share), rand, tick);
  if (explored.length >= input.count) {
    control.onProgress?.(ids.length, ids.length);
    return explored;
  }
  const cands: Scored[] = [];
  for (let a = 0; a < ids.length; a++) {
    cands.push(...candidatesOfAnchor(ctx, a));
    await tick(a + 1, ids.length);
  }
  control.onProgress?.(ids.length, ids.length);
  return pickSpread(cands, input.count, params.maxUsesPerImage, explored);
}

/** The exploring share of the batch (./explore.ts), as suggestions: the closer of the two shown as the positive. */
async function explore(ctx: Context, count: number, rand: () => number, tick: (done: number, total: number) => Promise<void>): Promise<Suggestion[]> {
  if (count <= 0) return [];
  const { ids, vs, input, params } = ctx;
  const found = await exploreTriplets(
    {
      n: ids.length,
      rowOf: (a) => rowOf(vs, a, input.distance),
      pAlike: (a, j, d) => ctx.pAlike(ids[a], ids[j], d),
      skip: (a, x, y) => input.skip.has(tripletKey(ids[a], ids[x], ids[y])),
      maxUses: params.maxUsesPerImage,
      likelyAlike: params.likelyAlike,
      likelyDifferent: params.likelyDifferent,
    },
    count,
    rand,
    (done) => tick(done, count),
  );
  return found.map(({ anchor, x, y, dx, dy, px, py }) => {
    // The rule for every suggestion: the image the model finds closer is shown as the positive.
    const [p, n, dp, dn, pp, pn] = dx <= dy ? [x, y, dx, dy, px, py] : [y, x, dy, dx, py, px];
    const answerable = answerableOf(pp, pn);
    return { anchor: ids[anchor], positive: ids[p], negative: ids[n], reason: 'explore' as const, dAP: dp, dAN: dn, answerable, swap: answerable > 0 ? (pn * (1 - pp)) / answerable : 0, score: answerable };
  });
}

function median(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}
