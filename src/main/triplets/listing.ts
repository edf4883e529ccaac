// Triplets as the CLI shows them: names as in triplet files, plus the file and line each came from.
import type { Split } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { flagged, listFlags } from '../store/images.js';
import { tripletLineRow, tripletLineRows, type TripletLineRow } from '../store/triplet-reads.js';

/** Names as in triplet files; `file`/`line`: where it was imported from (null when made by hand); origin, edited, review. */
export type TripletLine = TripletLineRow;

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLines(db: Db, split?: Split): TripletLine[] {
  return tripletLineRows(db, split);
}

export function tripletLine(db: Db, id: number): TripletLine | null {
  return tripletLineRow(db, id) ?? null;
}

/**
 * The listing with `flag` on each triplet whose image changed on disk since it was labelled (the
 * reasons, as the app's list shows them; `flagged` lists them alone). The flags are few: read whole.
 */
export function tripletLinesFlagged(db: Db, split?: Split): (TripletLine & { flag?: string })[] {
  return flagged(listFlags(db), tripletLines(db, split));
}
