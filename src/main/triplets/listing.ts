// Triplets as the CLI shows them: names as in triplet files, plus the file and line each came from.
import type { Split, TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { tripletLineRow, tripletLineRows } from '../store/triplet-reads.js';

export interface TripletLine {
  id: number;
  split: Split;
  anchor: string;
  positive: string;
  negative: string;
  status: TripletStatus;
  /** The triplet file it was imported from (absolute path as imported); null when made by hand. */
  file: string | null;
  /** 1-based line in that file; null when made by hand. */
  line: number | null;
}

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLines(db: Db, split?: Split): TripletLine[] {
  return tripletLineRows(db, split);
}

export function tripletLine(db: Db, id: number): TripletLine | null {
  return tripletLineRow(db, id) ?? null;
}
