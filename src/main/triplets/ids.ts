// Id and order allocation for triplets. Ids are never reused, even after a deletion, because history
// keeps deleted rows and undo restores them with their original id.
import type { Split } from '../../shared/types.js';
import type { Db } from '../store/db.js';

export function nextTripletId(db: Db): number {
  const row = db
    .prepare('SELECT MAX(COALESCE((SELECT MAX(id) FROM triplets), 0), COALESCE((SELECT MAX(triplet_id) FROM history), 0)) AS m')
    .get() as { m: number };
  return row.m + 1;
}

/** Next position at the end of a split (seq values of deleted rows stay reserved through history). */
export function nextSeq(db: Db, split: Split): number {
  const row = db
    .prepare(
      `SELECT MAX(COALESCE((SELECT MAX(seq) FROM triplets WHERE split = @split), 0),
                  COALESCE((SELECT MAX(json_extract(before, '$.seq')) FROM history WHERE json_extract(before, '$.split') = @split), 0),
                  COALESCE((SELECT MAX(json_extract(after, '$.seq')) FROM history WHERE json_extract(after, '$.split') = @split), 0)) AS m`,
    )
    .get({ split }) as { m: number };
  return row.m + 1;
}
