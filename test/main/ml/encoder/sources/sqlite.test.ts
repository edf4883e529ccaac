// The SQLite triplet source (large sets): its hold-out is the in-memory one's, its epochs use every
// training triplet once before any twice, never a validation or unused one, and a seed repeats them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../../src/main/ml/defaults.js';
import { splitByImages } from '../../../../../src/main/ml/encoder/holdout.js';
import { seededRandom } from '../../../../../src/main/ml/encoder/rng.js';
import { BLOCK_TRIPLETS, MAX_EVAL_TRIPLETS, sqliteSplit } from '../../../../../src/main/ml/encoder/sources/sqlite.js';
import { createScratch, trainWriter } from '../../../../../src/main/store/scratch-triplets.js';
import type { TrainOptions } from '../../../../../src/shared/types.js';

const root = mkdtempSync(join(tmpdir(), 'ts-sqlite-source-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** `count` random triplets over `rows` rows (a ≠ p ≠ n), written to a scratch store's `train`. */
function scratchOf(name: string, count: number, rows: number, seed: number): { path: string; triplets: Int32Array } {
  const rand = seededRandom(seed);
  const triplets = new Int32Array(3 * count);
  for (let t = 0; t < count; t++) {
    const a = Math.floor(rand() * rows);
    const p = (a + 1 + Math.floor(rand() * (rows - 1))) % rows;
    let n = Math.floor(rand() * rows);
    while (n === a || n === p) n = Math.floor(rand() * rows);
    triplets.set([a, p, n], 3 * t);
  }
  const path = join(root, `${name}.sqlite`);
  const db = createScratch(path);
  const write = trainWriter(db);
  db.transaction(() => {
    for (let t = 0; t < count; t++) write.add(triplets[3 * t], triplets[3 * t + 1], triplets[3 * t + 2]);
    assert.equal(write.end(), count);
  })();
  db.close();
  return { path, triplets };
}

const options = (over: Partial<TrainOptions>): TrainOptions => ({ ...DEFAULT_TRAIN_OPTIONS, derived: 0, ...over });

/** `epochs` epochs of the source: drawn ids per epoch, and the epochs themselves. */
function drawEpochs(path: string, count: number, rows: number, opts: TrainOptions, epochs: number) {
  const rand = seededRandom(opts.seed!);
  const split = sqliteSplit({ path, count }, rows, opts, rand);
  try {
    const { plan, planEpoch, evalTriplets, evalIdx } = split.planner(12345);
    const drawn = Array.from({ length: epochs }, () => planEpoch(rand));
    return { split, plan, drawn, evalTriplets, evalIdx };
  } finally {
    split.close();
  }
}

test('capped epochs from SQLite: every training triplet once before any twice, never a validation or unused one', () => {
  const count = 5000;
  const rows = 400;
  const { path, triplets } = scratchOf('capped', count, rows, 1);
  const opts = options({ validationSplit: 0.3, seed: 3, stepsPerEpoch: 10, batchSize: 32 });
  // The hold-out is the in-memory one's (same draws: distinct rows ascending, shuffled).
  const mem = splitByImages(triplets, opts.validationSplit, seededRandom(opts.seed!));
  const { split, plan, drawn, evalTriplets, evalIdx } = drawEpochs(path, count, rows, opts, 12);
  assert.equal(split.kind, 'sqlite');
  assert.deepEqual([split.trainCount, split.valCount, split.unused, split.heldImages], [mem.train.length, mem.val.length, mem.unused, mem.heldImages]);
  assert.ok(mem.unused > 0 && mem.val.length > 0, 'the set has all three roles');
  assert.equal(plan.full, false);
  assert.equal(plan.perEpoch, 320);
  const train = new Set(mem.train);
  const ids = drawn.flatMap((e) => {
    assert.equal(e.own.length, plan.perEpoch);
    assert.equal(e.order.length, plan.perEpoch, 'no derived triplets with derived 0');
    // The epoch's rows are the source's rows of the drawn ids.
    e.ids!.forEach((id, i) => assert.deepEqual([...e.triplets.subarray(3 * i, 3 * i + 3)], [...triplets.subarray(3 * id, 3 * id + 3)]));
    return [...e.ids!];
  });
  for (const id of ids) assert.ok(train.has(id), `triplet ${id} is a training triplet`);
  // 12 × 320 = 3,840 draws over ~1,700 training triplets: two whole cycles and part of a third.
  const n = train.size;
  assert.ok(ids.length > 2 * n);
  for (let c = 0; c + n <= ids.length; c += n) assert.equal(new Set(ids.slice(c, c + n)).size, n, `cycle ${c / n}: every training triplet once`);
  assert.equal(new Set(ids.slice(2 * n)).size, ids.length - 2 * n, 'no repeat within the running cycle');
  // Shuffled within the epoch, not in block order.
  assert.notDeepEqual([...drawn[0].order], [...drawn[0].order].sort((a, b) => a - b));
  // What each epoch scores: the validation triplets (all of them: fewer than MAX_EVAL_TRIPLETS).
  assert.equal(evalIdx.length, mem.val.length);
  const valKeys = new Set([...mem.val].map((i) => String(triplets.subarray(3 * i, 3 * i + 3))));
  for (const i of evalIdx) assert.ok(valKeys.has(String(evalTriplets.subarray(3 * i, 3 * i + 3))));
  assert.ok(MAX_EVAL_TRIPLETS >= mem.val.length && BLOCK_TRIPLETS < n);
});

test('the SQLite source is reproducible from its seed, and full epochs are each one whole pass', () => {
  const count = 2000;
  const { path } = scratchOf('seeded', count, 300, 2);
  const opts = options({ validationSplit: 0, seed: 8, derived: 1 });
  const a = drawEpochs(path, count, 300, opts, 3);
  const b = drawEpochs(path, count, 300, opts, 3);
  assert.equal(a.plan.full, true, '2,000 triplets over 300 images: full epochs (under MIN_EPOCH_TRIPLETS)');
  a.drawn.forEach((e, k) => {
    assert.deepEqual([...e.ids!], [...b.drawn[k].ids!], 'same draws');
    assert.deepEqual([...e.order], [...b.drawn[k].order], 'same order');
    assert.deepEqual([...e.triplets], [...b.drawn[k].triplets], 'same derived triplets');
    assert.equal(new Set(e.ids!).size, count, 'a full epoch is every triplet once');
  });
  const c = drawEpochs(path, count, 300, { ...opts, seed: 9 }, 1);
  assert.notDeepEqual([...c.drawn[0].ids!], [...a.drawn[0].ids!], 'another seed, other draws');
  // No hold-out: each epoch scores the training triplets (all 2,000: under the cap).
  assert.equal(a.evalIdx.length, count);
});
