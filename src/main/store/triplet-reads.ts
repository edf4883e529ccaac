// SQL reads of the triplets family for import, export, listing and id allocation: what a triplet
// import checks each line against (classify.ts), the rows export streams, the CLI's listing, and
// the next id and order position (ids are never reused: history keeps deleted rows).
import type { ReviewDecision, Split, TripletRef } from '../../shared/types.js';
import type { Db } from './db.js';
import type { RowColumns } from './triplet-rows.js';

/** A stored triplet as a new line is checked against it, with the file it came from. */
export type PriorRow = Pick<
  RowColumns,
  'id' | 'split' | 'anchor_id' | 'positive_id' | 'negative_id' | 'anchor_name' | 'positive_name' | 'negative_name' | 'status' | 'edited' | 'origin' | 'file_id' | 'line'
> & { file_path: string | null; file_split: Split | null };

/** A PriorRow's columns, with the file it came from (both queries below read the same rows). */
const PRIOR_COLUMNS = `t.id, t.split, t.anchor_id, t.positive_id, t.negative_id, t.anchor_name, t.positive_name, t.negative_name,
            t.status, t.edited, t.origin, t.file_id, t.line, f.path AS file_path, f.split AS file_split
     FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id`;

/**
 * Stored triplets (ids below `beforeId`) with this anchor and these two images either way round: for
 * each split and each order of positive and negative the first two rows, and for each split the first
 * two moved there from the other split's file; by id. What a new label is checked against needs no
 * more (the first of each kind, the second when the first is the triplet being edited), and each part
 * is one index range (the key plus rowid) cut at two rows, so a file repeating one line a million
 * times stays linear — and eight copies in one split can no longer hide a row of the other (a single
 * LIMIT 8 did: duplicates got through). Fewer than eight matches in all (nearly always) are read in
 * one range, as before: the six parts cost 1.7× on a 300,000-line import.
 */
export function priorMatchesReader(db: Db): (a: number, p: number, n: number, beforeId: number) => PriorRow[] {
  const part = (split: Split, extra: string) =>
    `SELECT * FROM (SELECT ${PRIOR_COLUMNS}
     WHERE t.split = '${split}' AND t.anchor_id = :a AND ${extra} AND t.id < :before ORDER BY t.id LIMIT 2)`;
  const st = db.prepare(
    (['train', 'test'] as const)
      .flatMap((split) => [
        part(split, 't.positive_id = :p AND t.negative_id = :n'),
        part(split, 't.positive_id = :n AND t.negative_id = :p'),
        part(split, "t.positive_id IN (:p, :n) AND t.negative_id IN (:p, :n) AND t.origin = 'imported' AND f.split <> t.split"),
      ])
      .join(' UNION ALL '),
  );
  const few = db.prepare(
    `SELECT ${PRIOR_COLUMNS}
     WHERE t.split IN ('train', 'test') AND t.anchor_id = :a AND t.positive_id IN (:p, :n) AND t.negative_id IN (:p, :n) AND t.id < :before
     ORDER BY t.id LIMIT 8`,
  );
  return (a, p, n, beforeId) => {
    const all = few.all({ a, p, n, before: beforeId }) as PriorRow[];
    if (all.length < 8) return all;
    const rows = new Map<number, PriorRow>();
    for (const r of st.all({ a, p, n, before: beforeId }) as PriorRow[]) rows.set(r.id, r);
    return [...rows.values()].sort((x, y) => x.id - y.id);
  };
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

/** The images of triplet `id` when it is active in `split` (else none). */
export function activeImagesIn(db: Db, id: number, split: Split): number[] {
  const r = db.prepare(`SELECT anchor_id, positive_id, negative_id FROM triplets WHERE id = ? AND split = ? AND status = 'active'`).raw().get(id, split) as number[] | undefined;
  return r ?? [];
}

/** Active triplets of `split` that use any of `imageIds`, as [id, anchor, positive, negative] (through the image indexes; streamed). */
export function activeTripletsUsing(db: Db, split: Split, imageIds: readonly number[]): Iterable<[number, number, number, number]> {
  const ids = JSON.stringify(imageIds);
  return db
    .prepare(
      `SELECT id, anchor_id, positive_id, negative_id FROM triplets WHERE split = @split AND status = 'active' AND id IN (
         SELECT id FROM triplets WHERE anchor_id IN (SELECT value FROM json_each(@ids))
         UNION SELECT id FROM triplets WHERE positive_id IN (SELECT value FROM json_each(@ids))
         UNION SELECT id FROM triplets WHERE negative_id IN (SELECT value FROM json_each(@ids)))
       ORDER BY seq`,
    )
    .raw()
    .iterate({ split, ids }) as Iterable<[number, number, number, number]>;
}

/**
 * An active triplet of `split` using image @id in any place, with `extra` on its id: one lookup on
 * each place's index. (Written as one OR, SQLite walked the whole split on its (split, seq) index
 * per image: an import of 100,000 lines into the train split took 55 s, holding the write lock.)
 */
const usedInSplitSql = (extra: string): string =>
  `SELECT ${(['anchor_id', 'positive_id', 'negative_id'] as const)
    .map((place) => `EXISTS(SELECT 1 FROM triplets WHERE ${place} = @id AND split = @split AND status = 'active' AND ${extra})`)
    .join(' OR ')}`;

/** Whether an active triplet of `split` other than `except` uses the image (one indexed lookup per place). */
export function imageUsedInSplitReader(db: Db): (split: Split, imageId: number, except: number) => boolean {
  const st = db.prepare(usedInSplitSql('id <> @except')).pluck();
  return (split, id, except) => st.get({ split, id, except }) === 1;
}

/** Whether an active triplet of `split` with an id below `belowId` (stored before an import) uses the image; memoised per image. */
export function usedBeforeReader(db: Db, split: Split, belowId: number): (imageId: number) => boolean {
  const st = db.prepare(usedInSplitSql('id < @below')).pluck();
  const seen = new Map<number, boolean>();
  return (id) => {
    let used = seen.get(id);
    if (used === undefined) seen.set(id, (used = st.get({ split, below: belowId, id }) === 1));
    return used;
  };
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

/**
 * A triplet as the CLI lists it: names, status, the file and line it came from (the shared TripletRef
 * shape), and what the app's list marks on it: made by hand or imported, edited since, the reviewer's decision.
 */
export type TripletLineRow = TripletRef & { origin: 'imported' | 'manual'; edited: boolean; review: ReviewDecision | null };

const LINE_SELECT = `SELECT t.id, t.split, t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative, t.status,
  f.path AS file, t.line, t.origin, t.edited, t.review FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id`;

/** SQLite's 0/1 as a boolean. */
const lineRow = (r: Omit<TripletLineRow, 'edited'> & { edited: number }): TripletLineRow => ({ ...r, edited: r.edited === 1 });

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLineRows(db: Db, split?: Split): TripletLineRow[] {
  const where = split ? 'WHERE t.split = ?' : '';
  return (db.prepare(`${LINE_SELECT} ${where} ORDER BY t.split DESC, t.seq`).all(...(split ? [split] : [])) as Parameters<typeof lineRow>[0][]).map(lineRow);
}

export function tripletLineRow(db: Db, id: number): TripletLineRow | undefined {
  const r = db.prepare(`${LINE_SELECT} WHERE t.id = ?`).get(id) as Parameters<typeof lineRow>[0] | undefined;
  return r && lineRow(r);
}

/** One more than the largest triplet id ever given (history included). */
export function nextTripletId(db: Db): number {
  const row = db
    .prepare('SELECT MAX(COALESCE((SELECT MAX(id) FROM triplets), 0), COALESCE((SELECT MAX(triplet_id) FROM history), 0)) AS m')
    .get() as { m: number };
  return row.m + 1;
}

/**
 * Next position at the end of a split: after every triplet there and after every position a triplet
 * left (an undo may bring it back there; migration 0019's triggers keep the highest in seq_high).
 */
export function nextSeq(db: Db, split: Split): number {
  const row = db
    .prepare(
      `SELECT MAX(COALESCE((SELECT MAX(seq) FROM triplets WHERE split = @split), 0),
                  COALESCE((SELECT seq FROM seq_high WHERE split = @split), 0)) AS m`,
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
