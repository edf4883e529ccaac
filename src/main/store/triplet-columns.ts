// The active triplets of a split as columns (typed arrays), for training: read row by row with no
// object per triplet, so 1,000,000 train triplets take 20 MB (ids, lines and image ids) instead of a
// million JS objects (bench/train-big-project.ts). Callers hold a read transaction (the run's snapshot).
import type { Db } from './db.js';

export interface TripletColumns {
  count: number;
  /** Triplet ids, in import order (seq). */
  ids: Int32Array;
  /** File line of each triplet, 0 when it has none (made in the app). */
  lines: Int32Array;
  /** Image ids [a0, p0, n0, a1, …]. */
  abc: Int32Array;
}

const WHERE = `WHERE split = ? AND status = 'active'`;

/** The split's active triplets, ordered as activeTripletsOf orders them (seq). */
export function activeTripletColumns(db: Db, split: 'train' | 'test'): TripletColumns {
  const total = db.prepare(`SELECT COUNT(*) FROM triplets ${WHERE}`).pluck().get(split) as number;
  const ids = new Int32Array(total);
  const lines = new Int32Array(total);
  const abc = new Int32Array(3 * total);
  let i = 0;
  const rows = db.prepare(`SELECT id, line, anchor_id, positive_id, negative_id FROM triplets ${WHERE} ORDER BY seq`).raw().iterate(split);
  for (const [id, line, a, p, n] of rows as IterableIterator<[number, number | null, number, number, number]>) {
    if (i >= total) break; // defensive: the count and the rows come from one snapshot
    ids[i] = id;
    lines[i] = line ?? 0;
    abc[3 * i] = a;
    abc[3 * i + 1] = p;
    abc[3 * i + 2] = n;
    i++;
  }
  return { count: i, ids: ids.subarray(0, i), lines: lines.subarray(0, i), abc: abc.subarray(0, 3 * i) };
}

/** Columns of triplet objects (a small split read as objects, e.g. the test split). */
export function columnsOf(list: readonly { id: number; line: number | null; a: number; p: number; n: number }[]): TripletColumns {
  const ids = new Int32Array(list.length);
  const lines = new Int32Array(list.length);
  const abc = new Int32Array(3 * list.length);
  list.forEach((t, i) => {
    ids[i] = t.id;
    lines[i] = t.line ?? 0;
    abc.set([t.a, t.p, t.n], 3 * i);
  });
  return { count: list.length, ids, lines, abc };
}
