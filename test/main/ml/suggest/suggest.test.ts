// The triplet chooser on synthetic clusters: what it shows (positive = closer), what it never shows
// (images outside the pool, skipped triplets), how it spreads, and that its suggestions are far more
// often answerable and informative than random triples under a simulated labeller.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Triplet } from '../../../../src/main/ml/encoder/distances.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { evidenceOf } from '../../../../src/main/ml/suggest/evidence.js';
import { structureOf, type Structure } from '../../../../src/main/ml/suggest/structure.js';
import { fitLogistic } from '../../../../src/main/ml/suggest/calibrate.js';
import { suggestTriplets, tripletKey } from '../../../../src/main/ml/suggest/suggest.js';

/** `classes` Gaussian clusters in 8-d with overlapping edges, unit length like encoder outputs; id → class = id % classes. */
function clusters(n: number, classes: number, spread: number, seed: number): { vectors: Map<number, Float32Array>; cls: (id: number) => number } {
  const rand = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: classes }, () => Float32Array.from({ length: 8 }, gauss));
  const vectors = new Map<number, Float32Array>();
  for (let id = 1; id <= n; id++) {
    const v = Float32Array.from(centres[id % classes], (c) => c + spread * gauss());
    const norm = Math.hypot(...v);
    vectors.set(id, v.map((x) => x / norm));
  }
  return { vectors, cls: (id) => id % classes };
}

/** Labelled train triplets: anchor and positive share a class, the negative does not. */
function labelledTriplets(ids: number[], cls: (id: number) => number, count: number, seed: number): Triplet[] {
  const rand = seededRandom(seed);
  const out: Triplet[] = [];
  while (out.length < count) {
    const [a, p, n] = [0, 0, 0].map(() => ids[Math.floor(rand() * ids.length)]);
    if (a !== p && cls(a) === cls(p) && cls(a) !== cls(n)) out.push([a, p, n]);
  }
  return out;
}

const answerable = (t: Triplet, cls: (id: number) => number): boolean => (cls(t[0]) === cls(t[1])) !== (cls(t[0]) === cls(t[2]));

test('suggestions: positive is the closer image, only pool images, no skipped triplet, one per anchor', async () => {
  const { vectors, cls } = clusters(120, 4, 0.8, 1);
  const pool = [...vectors.keys()].filter((id) => id <= 100); // 101–120 stand for test images
  const train = labelledTriplets(pool.slice(0, 60), cls, 60, 2);
  const first = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 30 });
  assert.equal(first.length, 30);
  const skip = new Set(first.slice(0, 10).map((s) => tripletKey(s.anchor, s.negative, s.positive)));
  const again = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip, count: 30 });
  // As many again, some new: the check below on `again` would pass on an empty list.
  assert.equal(again.length, 30);
  assert.ok(again.some((s) => !first.some((f) => tripletKey(f.anchor, f.positive, f.negative) === tripletKey(s.anchor, s.positive, s.negative))), 'new suggestions in place of the skipped ones');
  for (const s of [...first, ...again]) {
    assert.ok(s.dAP <= s.dAN, 'the positive shown is the one the model finds closer');
    for (const id of [s.anchor, s.positive, s.negative]) assert.ok(id <= 100, `image ${id} is outside the pool`);
    assert.equal(new Set([s.anchor, s.positive, s.negative]).size, 3);
  }
  for (const s of again) assert.ok(!skip.has(tripletKey(s.anchor, s.positive, s.negative)), 'a skipped (rejected) triplet came back');
  assert.equal(new Set(first.map((s) => s.anchor)).size, first.length, 'one suggestion per anchor');
  const uses = new Map<number, number>();
  for (const s of first) for (const id of [s.anchor, s.positive, s.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  assert.ok(Math.max(...uses.values()) <= 2, 'an image is in at most 2 suggestions of a batch');
});

/**
 * What a shown triplet teaches once the simulated labeller answered it (0 when rejected): its
 * triplet loss under the true answer (the model had it wrong or inside the margin) plus 10 × the
 * implied triplets it adds (./structure.ts shares), the two things a label can give the training.
 */
function taught(t: Triplet, cls: (id: number) => number, vectors: Map<number, Float32Array>, s: Structure, margin: number): number | null {
  const [a, x, y] = t;
  if (!answerable(t, cls)) return null;
  const [p, n] = cls(a) === cls(x) ? [x, y] : [y, x];
  const d = (i: number, j: number): number => Math.hypot(...vectors.get(i)!.map((v, k) => v - vectors.get(j)![k]));
  return Math.max(d(a, p) - d(a, n) + margin, 0) + 10 * (s.alikeGain(a, p) + s.apartGain(a, n));
}

test('ranked suggestions (explore 0) teach far more per keypress than random triples of the same data, answered by the same labeller', async () => {
  // "Taught" is what the ranking estimates (loss + implied triplets). Exploring suggestions score
  // far lower on it (0.34 per shown against ~1.8 here) yet gained more when retrained on the shared
  // sets (docs/suggest-measurements.md, "Exploring first"): the estimate does not predict the gain, so it ranks only
  // the candidates that fill a batch exploring cannot.
  // Six data sets (3 seeds × 2 cluster spreads); each suggestion is paired with a random triple of
  // the same pool. Sums over all of them, so one odd set cannot decide (the earlier test passed
  // at exactly its bar of 10 swaps in 50 on one set).
  let shown = 0;
  const sum = { suggested: { answerable: 0, taught: 0 }, random: { answerable: 0, taught: 0 } };
  for (const seed of [3, 11, 21])
    for (const spread of [0.6, 1.0]) {
      const { vectors, cls } = clusters(200, 5, spread, seed);
      const pool = [...vectors.keys()];
      const train = labelledTriplets(pool, cls, 80, seed + 1);
      const st = structureOf(train);
      const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 50, params: { explore: 0 } });
      const rand = seededRandom(seed * 5);
      const randomTriple = (): Triplet => {
        for (;;) {
          const t = [0, 0, 0].map(() => pool[Math.floor(rand() * pool.length)]) as unknown as Triplet;
          if (new Set(t).size === 3) return t;
        }
      };
      for (const x of s) {
        shown++;
        for (const [arm, t] of [['suggested', [x.anchor, x.positive, x.negative]], ['random', randomTriple()]] as const) {
          const v = taught(t as Triplet, cls, vectors, st, 0.5);
          if (v !== null) (sum[arm].answerable++, (sum[arm].taught += v));
        }
      }
    }
  const rate = (k: 'suggested' | 'random'): string => `${k}: answerable ${(sum[k].answerable / shown).toFixed(2)}, taught ${(sum[k].taught / shown).toFixed(3)} per shown`;
  const msg = `${rate('suggested')}; ${rate('random')}`;
  // Random triples of 5 classes are answerable ~30% of the time; suggestions ~85% (measured).
  assert.ok(sum.suggested.answerable >= sum.random.answerable + 0.25 * shown, msg);
  // Measured ~12× random (loss alone, structureWeight 0: ~2.5×).
  assert.ok(sum.suggested.taught >= 4 * sum.random.taught, msg);
});

test('without labels (raw features, no train triplets) images in no triplet come first, reason coverage', async () => {
  const { vectors } = clusters(60, 3, 0.8, 6);
  const s = await suggestTriplets({ pool: [...vectors.keys()], vectors, distance: 'l2', train: [], skip: new Set(), count: 10 });
  assert.equal(s.length, 10);
  assert.ok(s.every((x) => x.reason === 'coverage'));
});

test('evidence: anchor–positive links are transitive, anchor–negative marks whole groups apart', () => {
  const ev = evidenceOf([
    [1, 2, 5],
    [2, 3, 6],
    [5, 6, 1],
  ]);
  assert.equal(ev.known(1, 3), 1);
  assert.equal(ev.known(3, 6), 0, '1–5 are apart and 5–6 alike, so the groups {1,2,3} and {5,6} are apart');
  assert.equal(ev.known(1, 9), null);
  assert.equal(ev.uses(2), 2);
  assert.equal(ev.uses(9), 0);
});

test('calibration: p(alike) falls with distance around the boundary between the two groups', () => {
  const dist = Float64Array.from([0.1, 0.2, 0.3, 0.35, 0.5, 0.6, 0.7, 0.9]);
  const alike = Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 0]);
  const { w, t } = fitLogistic(dist, alike);
  assert.ok(w > 0);
  assert.ok(t > 0.3 && t < 0.6, `threshold ${t}`);
});

test('a small pool still fills the batch: anchors repeat once every image has one suggestion', async () => {
  const { vectors, cls } = clusters(12, 3, 0.8, 8);
  const pool = [...vectors.keys()];
  const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train: labelledTriplets(pool, cls, 6, 9), skip: new Set(), count: 20 });
  assert.equal(s.length, 20);
  assert.equal(new Set(s.map((x) => tripletKey(x.anchor, x.positive, x.negative))).size, 20, 'no suggestion twice');
});

test('rejections spend the budget: weighted by p(answerable)², the loss ranking is answerable far more often than by expected loss alone', async () => {
  // answerPower 0 is the earlier ranking (expected loss only); on the shared sets it left 20–60 of 100 rejected.
  let byDefault = 0;
  let lossOnly = 0;
  let shown = 0;
  for (const seed of [3, 11, 21])
    for (const spread of [0.6, 1.0]) {
      const { vectors, cls } = clusters(200, 5, spread, seed);
      const pool = [...vectors.keys()];
      const train = labelledTriplets(pool, cls, 80, seed + 1);
      const ask = (params: object): ReturnType<typeof suggestTriplets> =>
        suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 50, params });
      // The loss term alone (structureWeight 0), with and without the answerability weight.
      byDefault += (await ask({ structureWeight: 0, explore: 0 })).filter((x) => answerable([x.anchor, x.positive, x.negative], cls)).length;
      lossOnly += (await ask({ answerPower: 0, structureWeight: 0, explore: 0 })).filter((x) => answerable([x.anchor, x.positive, x.negative], cls)).length;
      shown += 50;
    }
  assert.ok(byDefault > lossOnly * 1.3, `answerable ${byDefault} by default vs ${lossOnly} by loss alone, of ${shown}`);
  assert.ok(byDefault >= shown * 0.55, `answerable ${byDefault} of ${shown}`);
});

test('a batch the strict spread cannot fill stays spread: limits relax one use at a time, picks are kept', async () => {
  // Almost every image is labelled: candidates crowd onto the few unused ones (coverage bonus),
  // and one per anchor with at most 2 uses per image cannot fill 100. Earlier the whole batch was
  // then re-picked without limits, so the 100 piled onto those few images.
  const { vectors, cls } = clusters(240, 6, 1.2, 12);
  const pool = [...vectors.keys()];
  const train = labelledTriplets(pool.slice(5), cls, 300, 13);
  const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 100 });
  assert.equal(s.length, 100);
  const uses = new Map<number, number>();
  for (const x of s) for (const id of [x.anchor, x.positive, x.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  assert.ok(Math.max(...uses.values()) <= 6, `an image is in ${Math.max(...uses.values())} suggestions`);
  assert.ok(new Set(s.map((x) => x.anchor)).size >= 90, 'nearly one suggestion per anchor');
});

test('a pool of about as many images as suggestions asked stays spread: anchors repeat before any image is used more', async () => {
  // As a 150-photo set gives (102 train images, 400 labelled lines): one suggestion per anchor cannot
  // fill 100, and the last pass without limits put one image into 17 of them.
  const { vectors, cls } = clusters(102, 6, 1.0, 31);
  const pool = [...vectors.keys()];
  const train = labelledTriplets(pool, cls, 400, 32);
  const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 100 });
  assert.equal(s.length, 100);
  const uses = new Map<number, number>();
  for (const x of s) for (const id of [x.anchor, x.positive, x.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  // 300 places over 102 images: about 3 each.
  assert.ok(Math.max(...uses.values()) <= 5, `an image is in ${Math.max(...uses.values())} suggestions`);
});

test('exploring (explore 1): a likely-alike image no label ties to the anchor, against a likely-different one; every rule of a batch holds', async () => {
  const { vectors, cls } = clusters(160, 4, 0.8, 31);
  const pool = [...vectors.keys()].filter((id) => id <= 140);
  const train = labelledTriplets(pool.slice(0, 100), cls, 100, 32);
  const ev = evidenceOf(train);
  const first = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 40, params: { explore: 1 } });
  assert.equal(first.length, 40);
  const skip = new Set(first.slice(0, 10).map((s) => tripletKey(s.anchor, s.positive, s.negative)));
  const again = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip, count: 40, params: { explore: 1 } });
  assert.equal(again.length, 40, 'as many again (the checks below would pass on an empty list)');
  for (const s of [...first, ...again]) {
    assert.equal(s.reason, 'explore');
    assert.ok(s.dAP <= s.dAN, 'the positive shown is the one the model finds closer');
    for (const id of [s.anchor, s.positive, s.negative]) assert.ok(id <= 140, `image ${id} is outside the pool`);
    // One of the two is open (the drawn positive); neither is one the labels tie to the anchor.
    assert.ok(ev.known(s.anchor, s.positive) === null || ev.known(s.anchor, s.negative) === null, 'both relations already known');
    assert.ok(ev.known(s.anchor, s.positive) !== 1 && ev.known(s.anchor, s.negative) !== 1, 'an image the labels already tie to the anchor');
  }
  for (const s of again) assert.ok(!skip.has(tripletKey(s.anchor, s.positive, s.negative)), 'a skipped (rejected) triplet came back');
  assert.equal(new Set(first.map((s) => s.anchor)).size, first.length, 'one suggestion per anchor');
  const uses = new Map<number, number>();
  for (const s of first) for (const id of [s.anchor, s.positive, s.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  assert.ok(Math.max(...uses.values()) <= 2, 'an image is in at most 2 suggestions of a batch');
});

test('exploring reaches farther into a kind than the ranked candidates, and is answered about as often', async () => {
  // The point of exploring: a positive drawn from the whole likely kind, not the anchor's nearest.
  // Measured here: mean rank 15.0 among the anchor's neighbours against 4.0, answered 122 vs 126 of 150.
  let rank = { explore: 0, ranked: 0 };
  let ok = { explore: 0, ranked: 0 };
  let shown = 0;
  for (const seed of [3, 11, 21]) {
    const { vectors, cls } = clusters(200, 5, 0.8, seed);
    const pool = [...vectors.keys()];
    const train = labelledTriplets(pool, cls, 80, seed + 1);
    const d = (i: number, j: number): number => Math.hypot(...vectors.get(i)!.map((v, k) => v - vectors.get(j)![k]));
    const rankOf = (a: number, x: number): number => pool.filter((y) => y !== a && d(a, y) < d(a, x)).length;
    for (const [arm, explore] of [['explore', 1], ['ranked', 0]] as const) {
      const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 50, params: { explore } });
      for (const x of s) {
        const t: Triplet = [x.anchor, x.positive, x.negative];
        if (!answerable(t, cls)) continue;
        ok[arm]++;
        rank[arm] += rankOf(x.anchor, cls(x.positive) === cls(x.anchor) ? x.positive : x.negative);
      }
    }
    shown += 50;
  }
  const msg = `answered ${ok.explore} / ${ok.ranked} of ${shown}; mean rank of the alike image ${(rank.explore / ok.explore).toFixed(1)} / ${(rank.ranked / ok.ranked).toFixed(1)} (explore / ranked)`;
  assert.ok(rank.explore / ok.explore > 2 * (rank.ranked / ok.ranked), msg);
  assert.ok(ok.explore >= 0.7 * shown, msg);
});

test('a mixed batch (explore 0.5): half explores, the ranked candidates fill the rest within the same limits', async () => {
  const { vectors, cls } = clusters(200, 5, 0.8, 41);
  const pool = [...vectors.keys()];
  const train = labelledTriplets(pool, cls, 80, 42);
  const s = await suggestTriplets({ pool, vectors, distance: 'l2', margin: 0.5, train, skip: new Set(), count: 60, params: { explore: 0.5 } });
  assert.equal(s.length, 60);
  assert.equal(s.filter((x) => x.reason === 'explore').length, 30);
  assert.equal(new Set(s.map((x) => tripletKey(x.anchor, x.positive, x.negative))).size, 60, 'no suggestion twice');
  assert.equal(new Set(s.map((x) => x.anchor)).size, 60, 'one suggestion per anchor');
  const uses = new Map<number, number>();
  for (const x of s) for (const id of [x.anchor, x.positive, x.negative]) uses.set(id, (uses.get(id) ?? 0) + 1);
  assert.ok(Math.max(...uses.values()) <= 2, `an image is in ${Math.max(...uses.values())} suggestions`);
});
