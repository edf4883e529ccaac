// Ranking suggestions in a worker thread: the same suggestions as in-process, progress reported,
// and a cancel part-way rejects with AbortError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Triplet } from '../../../../src/main/ml/encoder/distances.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { labelCoverage } from '../../../../src/main/ml/suggest/coverage.js';
import { packSuggestInput, rankSuggestions, unpackSuggestInput } from '../../../../src/main/ml/suggest/rank.js';
import { suggestTriplets, type SuggestInput } from '../../../../src/main/ml/suggest/suggest.js';

function input(n: number, seed: number): SuggestInput {
  const rand = seededRandom(seed);
  const vectors = new Map<number, Float32Array>();
  for (let id = 1; id <= n; id++) vectors.set(id, Float32Array.from({ length: 10 }, () => rand() + (id % 4)));
  const train: Triplet[] = [];
  for (let k = 0; k < 60; k++) {
    const a = 1 + 4 * k;
    train.push([a, a + 4, a + 1]);
  }
  return { pool: [...vectors.keys()], vectors, distance: 'l2', margin: 0.5, train, skip: new Set(['5:9:10']), count: 40, seed: 3 };
}

test('packing keeps every input', () => {
  const i = input(50, 1);
  const back = unpackSuggestInput(packSuggestInput(i));
  assert.deepEqual(back.pool, i.pool);
  assert.deepEqual(back.train, i.train);
  assert.deepEqual([...back.skip], [...i.skip]);
  assert.deepEqual([...back.vectors.get(7)!], [...i.vectors.get(7)!]);
});

test('the worker ranks exactly as in-process and reports progress', async () => {
  const i = input(300, 2);
  const local = await suggestTriplets(i);
  let last = { done: 0, total: 0 };
  const { suggestions: remote, coverage } = await rankSuggestions(i, { onProgress: (done, total) => (last = { done, total }) });
  assert.deepEqual(remote, local);
  assert.equal(remote.length, 40);
  assert.deepEqual(coverage, labelCoverage(i.pool, i.train));
  assert.deepEqual(last, { done: 300, total: 300 });
});

test('a cancel part-way rejects with AbortError', async () => {
  const ac = new AbortController();
  const run = rankSuggestions(input(2000, 4), { signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(run, { name: 'AbortError' });
});
