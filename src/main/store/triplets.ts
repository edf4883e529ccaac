// SQL of the triplets and history family, reads for training, scoring and "as imported" labels: the
// active triplets of a split (a run's snapshot), one triplet's current images, first history states.
import type { Db } from './db.js';

/** A triplet as a run sees it: ids of its three images, its file line. */
export interface SnapshotTriplet {
  id: number;
  line: number | null;
  a: number;
  p: number;
  n: number;
}

export function activeTripletsOf(db: Db, split: 'train' | 'test'): SnapshotTriplet[] {
  return db
    .prepare(`SELECT id, line, anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`)
    .all(split) as SnapshotTriplet[];
}

/** Reader of a triplet's current images (prepared once; undefined when it is gone). */
export function tripletImagesReader(db: Db): (id: number) => { a: number; p: number; n: number } | undefined {
  const st = db.prepare('SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE id = ?');
  return (id) => st.get(id) as { a: number; p: number; n: number } | undefined;
}

/** The earliest `before` JSON of each triplet's history (its state before the user first changed it). */
export function firstBeforeRows(db: Db): { id: number; before: string }[] {
  return db
    .prepare(
      `SELECT h.triplet_id AS id, h.before FROM history h
       JOIN (SELECT triplet_id, MIN(id) AS first FROM history WHERE before IS NOT NULL AND triplet_id IS NOT NULL GROUP BY triplet_id) f
         ON f.first = h.id`,
    )
    .all() as { id: number; before: string }[];
}

/** A triplet's labels, placement and order, as stored now. */
export interface TripletState {
  id: number;
  split: string;
  status: string;
  a: number;
  p: number;
  n: number;
  line: number | null;
  seq: number;
}

export function currentTripletStates(db: Db): TripletState[] {
  return db.prepare('SELECT id, split, status, anchor_id AS a, positive_id AS p, negative_id AS n, line, seq FROM triplets').all() as TripletState[];
}

/** Active triplets per split and excluded ones (the project's counts). */
export function tripletCounts(db: Db): { train: number; test: number; excluded: number } {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    train: count(`SELECT COUNT(*) FROM triplets WHERE split = 'train' AND status = 'active'`),
    test: count(`SELECT COUNT(*) FROM triplets WHERE split = 'test' AND status = 'active'`),
    excluded: count(`SELECT COUNT(*) FROM triplets WHERE status = 'excluded'`),
  };
}
