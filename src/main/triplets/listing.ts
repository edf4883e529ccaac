// Triplets as the CLI shows them: names as in triplet files, plus the file and line each came from.
import type { Split, TripletRef } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { tripletLineRow, tripletLineRows } from '../store/triplet-reads.js';

/** Names as in triplet files; `file`/`line`: where it was imported from (null when made by hand). */
export type TripletLine = TripletRef;

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLines(db: Db, split?: Split): TripletLine[] {
  return tripletLineRows(db, split);
}

export function tripletLine(db: Db, id: number): TripletLine | null {
  return tripletLineRow(db, id) ?? null;
}
