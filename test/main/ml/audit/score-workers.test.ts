// The audit's fold models spread over workers (score.ts): the margins are the same to the bit with
// one worker, two, or none (cv-margins.ts in this thread), progress counts every fold model once,
// and a cancel stops every worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTrainOptions } from '../../../../src/main/ml/index.js';
import { cvMargins } from '../../../../src/main/ml/audit/cv-margins.js';
import { scoreTrainTriplets } from '../../../../src/main/ml/audit/score.js';
import { packTraining } from '../../../../src/main/ml/encoder/train.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';

/** 48 images in 4 clusters (32-d) and 120 triplets between them, every fifth with its labels swapped. */
function synthetic() {
  const rand = seededRandom(11);
  const dim = 32;
  const features = new Map<number, Float32Array>();
  for (let id = 1; id <= 48; id++) features.set(id, Float32Array.from({ length: dim }, (_, j) => (j % 4 === id % 4 ? 1 : 0) + 0.3 * rand()));
  const triplets: Array<[number, number, number]> = [];
  for (let k = 0; k < 120; k++) {
    const a = 1 + Math.floor(rand() * 48);
    const p = 1 + ((a - 1 + 4 * (1 + Math.floor(rand() * 11))) % 48); // same cluster (id mod 4)
    const n = 1 + ((a - 1 + 1 + Math.floor(rand() * 3)) % 48); // another cluster
    triplets.push(k % 5 === 0 ? [a, n, p] : [a, p, n]);
  }
  return { dim, features, triplets };
}

const options = { ...defaultTrainOptions(), epochs: 3, hidden: 16, embedding: 4, ensemble: 1, derived: 0, validationSplit: 0, backend: 'wasm' as const };
const base = { ...synthetic(), folds: 3, repeats: 2, seed: 5, options, groupWeight: 1 };

test('one worker, two workers and this thread give the same margins, to the bit', async () => {
  const progress: number[] = [];
  const one = await scoreTrainTriplets({ ...base, workers: 1 });
  const two = await scoreTrainTriplets({ ...base, workers: 2, onProgress: (p) => p.epoch === 0 && progress.push(p.done) });
  const packed = packTraining(base.dim, base.features, base.triplets);
  const here = await cvMargins({ dim: base.dim, ...packed, folds: 3, repeats: 2, seed: 5, options, groupWeight: 1 });
  assert.equal(one.margins.length, 120);
  assert.deepEqual(two.margins, one.margins);
  assert.deepEqual(here, one.margins);
  // The swapped lines score high: the audit still finds what it is for.
  const top = [...one.margins.keys()].sort((x, y) => one.margins[y] - one.margins[x]).slice(0, 24);
  assert.ok(top.filter((t) => t % 5 === 0).length >= 18, `swapped lines among the top 24: ${top.filter((t) => t % 5 === 0).length}`);
  // Each of the 6 fold models finished once, summed over both workers.
  assert.equal(Math.max(...progress), 6);
});

test('a cancel stops every worker and rejects with AbortError', async () => {
  const ac = new AbortController();
  const started = scoreTrainTriplets({ ...base, workers: 2, signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(started, { name: 'AbortError' });
});
