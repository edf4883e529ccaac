// SQL reads of triplet rows for training and scoring: the active triplets of a split (a run's
// snapshot), one triplet's current images, and every triplet's current state (labels as imported).
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
