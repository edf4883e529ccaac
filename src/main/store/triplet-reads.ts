// SQL reads of the triplets family for import, export, listing and id allocation: what a triplet
// import checks each line against (classify.ts), the rows export streams, the CLI's listing, and
// the next id and order position (ids are never reused: history keeps deleted rows).
import type { Split, TripletRef } from '../../shared/types.js';
import type { Db } from './db.js';
import type { RowColumns } from './triplet-rows.js';

/** A stored triplet as a new line is checked against it, with the file it came from. */
export type PriorRow = Pick<
  RowColumns,
  'id' | 'split' | 'anchor_id' | 'positive_id' | 'negative_id' | 'anchor_name' | 'positive_name' | 'negative_name' | 'status' | 'edited' | 'origin' | 'file_id' | 'line'
> & { file_path: string | null; file_split: Split | null };

/**
 * Stored triplets (ids below `beforeId`) with this anchor and these two images either way round;
 * one index range (the key plus rowid), so a file repeating one line a million times stays linear.
 */
export function priorMatchesReader(db: Db): (a: number, p: number, n: number, beforeId: number) => PriorRow[] {
  const st = db.prepare(
    `SELECT t.id, t.split, t.anchor_id, t.positive_id, t.negative_id, t.anchor_name, t.positive_name, t.negative_name,
            t.status, t.edited, t.origin, t.file_id, t.line, f.path AS file_path, f.split AS file_split
     FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id
     WHERE t.split IN ('train', 'test') AND t.anchor_id = ? AND t.positive_id IN (?, ?) AND t.negative_id IN (?, ?) AND t.id < ?
     ORDER BY t.id LIMIT 8`,
  );
  return (a, p, n, beforeId) => st.all(a, p, n, p, n, beforeId) as PriorRow[];
}

/** The line of the first row (id ≥ `fromId`, i.e. added by this import) with exactly these labels. */
export function importedLineReader(db: Db): (split: Split, a: number, p: number, n: number, fromId: number) => number | undefined {
  const st = db.prepare(`SELECT line FROM triplets WHERE split = ? AND anchor_id = ? AND positive_id = ? AND negative_id = ? AND id >= ? ORDER BY id LIMIT 1`).pluck();
  return (split, a, p, n, fromId) => st.get(split, a, p, n, fromId) as number | undefined;
}

/** The image ids of every active triplet of a split, as [anchor, positive, negative] (streamed). */
export function activeImageTriples(db: Db, split: Split): Iterable<number[]> {
  return db.prepare(`SELECT anchor_id, positive_id, negative_id FROM triplets WHERE split = ? AND status = 'active'`).raw().iterate(split) as Iterable<number[]>;
}

/** Whether an active triplet of `split` other than `except` uses the image (one indexed lookup per place). */
export function imageUsedInSplitReader(db: Db): (split: Split, imageId: number, except: number) => boolean {
  const st = db.prepare(
    `SELECT 1 FROM triplets WHERE split = ? AND status = 'active' AND id <> ? AND (anchor_id = ? OR positive_id = ? OR negative_id = ?) LIMIT 1`,
  );
  return (split, id, except) => st.get(split, except, id, id, id) !== undefined;
}

/** Deletions not undone whose row is gone (streamed). */
export function deletedTripletRows(db: Db): Iterable<{ triplet_id: number; before: string }> {
  return db
    .prepare(`SELECT triplet_id, before FROM history WHERE action = 'delete' AND undone = 0 AND before IS NOT NULL AND triplet_id NOT IN (SELECT id FROM triplets)`)
    .iterate() as Iterable<{ triplet_id: number; before: string }>;
}

/** A split's active triplets in import order: names, and whether imported (streamed). */
export function exportRows(db: Db, split: Split): Iterable<[string, string, string, string]> {
  return db
    .prepare(`SELECT anchor_name, positive_name, negative_name, origin FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`)
    .raw()
    .iterate(split) as Iterable<[string, string, string, string]>;
}

/** A triplet as the CLI lists it: names, status, the file and line it came from (the shared TripletRef shape). */
export type TripletLineRow = TripletRef;

const LINE_SELECT = `SELECT t.id, t.split, t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative, t.status,
  f.path AS file, t.line FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id`;

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLineRows(db: Db, split?: Split): TripletLineRow[] {
  const where = split ? 'WHERE t.split = ?' : '';
  return db.prepare(`${LINE_SELECT} ${where} ORDER BY t.split DESC, t.seq`).all(...(split ? [split] : [])) as TripletLineRow[];
}

export function tripletLineRow(db: Db, id: number): TripletLineRow | undefined {
  return db.prepare(`${LINE_SELECT} WHERE t.id = ?`).get(id) as TripletLineRow | undefined;
}

/** One more than the largest triplet id ever given (history included). */
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

/** Whether an earlier import of the triplet file at `path` bound the name `written` (as written in it) to image `id`. */
export function boundByFileReader(db: Db): (path: string, written: string, id: number) => boolean {
  const st = db.prepare(
    `SELECT 1 FROM triplets t JOIN triplet_files f ON f.id = t.file_id
     WHERE f.path = ? AND ((t.anchor_id = ? AND t.anchor_name = ?) OR (t.positive_id = ? AND t.positive_name = ?) OR (t.negative_id = ? AND t.negative_name = ?))
     LIMIT 1`,
  );
  return (path, written, id) => st.get(path, id, written, id, written, id, written) !== undefined;
}
