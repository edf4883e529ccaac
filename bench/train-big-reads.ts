// The read side of bench/train-big-project.ts, on its 1,000,000-triplet store: (1) reading the train
// split for a run as objects (the old path) vs columns (store/triplet-columns.ts): time and heap;
// (2) what streaming from SQLite would cost: a capped epoch's 80,000 triplets drawn from the
// in-memory running shuffle (schedule.ts) vs from a read-only SQLite snapshot (one read transaction)
// by random blocks of 64 rowids, or by one lookup per triplet of a shuffled id list.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { seededRandom, shuffleInPlace } from '../src/main/ml/encoder/rng.js';
import { epochSampler } from '../src/main/ml/encoder/schedule.js';
import { openDb, readTransaction } from '../src/main/store/db.js';
import { activeTripletColumns } from '../src/main/store/triplet-columns.js';
import { activeTripletsOf } from '../src/main/store/triplets.js';

const PER_EPOCH = 80_000;
const EPOCHS = 5;
const BLOCK = 64;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap + array buffers in use (MB) after a full collection: what this process holds. */
export function used(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** Seconds and MB retained by `read()`'s result (kept alive until measured). */
function measure<T>(read: () => T): { seconds: number; mb: number; value: T } {
  const before = used();
  const t0 = performance.now();
  const value = read();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, mb: used() - before, value };
}

const perEpochMs = (t0: number) => ((performance.now() - t0) / EPOCHS).toFixed(0);

export function runReadComparison(projectDir: string): void {
  const db = openDb(join(projectDir, 'project.sqlite'));
  try {
    const objects = measure(() => readTransaction(db, () => activeTripletsOf(db, 'train')));
    const count = objects.value.length;
    console.log(`read ${count} train triplets: objects ${objects.seconds.toFixed(2)} s, ${objects.mb.toFixed(0)} MB held`);
    objects.value.length = 0;
    const columns = measure(() => readTransaction(db, () => activeTripletColumns(db, 'train')));
    console.log(`read ${count} train triplets: columns ${columns.seconds.toFixed(2)} s, ${columns.mb.toFixed(0)} MB held`);

    // Capped epochs from memory: the running shuffle of compact indices over the packed triplets.
    const rand = seededRandom(1);
    const sample = epochSampler(Int32Array.from({ length: count }, (_, i) => i), { perEpoch: PER_EPOCH, batches: PER_EPOCH / 64, full: false }, rand);
    const rows = columns.value.abc;
    let t0 = performance.now();
    let sink = 0;
    for (let e = 0; e < EPOCHS; e++) for (const t of sample()) sink += rows[3 * t];
    console.log(`epoch of ${PER_EPOCH}: in memory ${perEpochMs(t0)} ms (triplets 12 MB + index 4 MB)`);

    // From a read-only snapshot: random blocks of consecutive rowids (no per-triplet memory, but not a shuffle).
    const ro = openDb(join(projectDir, 'project.sqlite'), { readonly: true, skipCheck: true });
    try {
      ro.exec('BEGIN');
      const maxId = ro.prepare(`SELECT MAX(id) FROM triplets`).pluck().get() as number;
      const block = ro.prepare(`SELECT anchor_id, positive_id, negative_id FROM triplets NOT INDEXED WHERE id >= ? AND split = 'train' AND status = 'active' ORDER BY id LIMIT ${BLOCK}`).raw();
      t0 = performance.now();
      for (let e = 0; e < EPOCHS; e++) {
        for (let got = 0; got < PER_EPOCH; ) for (const r of block.all(1 + Math.floor(rand() * maxId)) as number[][]) (sink += r[0]), got++;
      }
      console.log(`epoch of ${PER_EPOCH}: SQLite blocks of ${BLOCK} ${perEpochMs(t0)} ms (no triplet memory; correlated draws)`);
      // One lookup per triplet from a shuffled list of the snapshot's ids (uniform, every triplet once before twice).
      const ids = columns.value.ids.slice();
      shuffleInPlace(ids, rand);
      const one = ro.prepare(`SELECT anchor_id, positive_id, negative_id FROM triplets WHERE id = ?`).raw();
      t0 = performance.now();
      for (let e = 0; e < EPOCHS; e++) for (let i = 0; i < PER_EPOCH; i++) sink += (one.get(ids[(e * PER_EPOCH + i) % ids.length]) as number[])[0];
      console.log(`epoch of ${PER_EPOCH}: SQLite lookups of a shuffled id list ${perEpochMs(t0)} ms (ids 4 MB)`);
      ro.exec('COMMIT');
    } finally {
      ro.close();
    }
    if (sink === -1) console.log(sink);
  } finally {
    db.close();
  }
}
