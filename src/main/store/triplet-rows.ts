// SQL of triplet rows as full snapshots (every column, so restoring one gives back the exact row):
// read, insert, update, delete, their predictions, the paged list, and the rows a triplet import or
// a triplet made in the app writes. Callers (triplets/rows.ts, store.ts, import-run.ts) hold the
// transactions and the rules.
import type { Split, TripletRecord, TripletStatus } from '../../shared/types.js';
import type { Db } from './db.js';
import { SHOWN_NAMES } from './shown-names.js';

/** A full triplet row: enough to restore it exactly. */
export interface TripletSnapshot extends TripletRecord {
  fileId: number | null;
  createdAt: string;
  kept: boolean;
  /** Only in a snapshot the row was deleted from: the predictions that went with the row. */
  predictions?: { runId: number; dAP: number; dAN: number }[];
  /** Likewise: its "an image changed on disk" flags, which a restore must bring back with it. */
  flags?: { imageId: number; reason: string; flaggedAt: string }[];
  /** When an undo or redo took the row out (the step's own time says when a deletion did). */
  removedAt?: string;
}

const COLUMNS = (names: string) => `SELECT t.id, t.split, t.anchor_id AS anchorId, t.positive_id AS positiveId, t.negative_id AS negativeId,
  ${names}, t.status, t.origin, t.line, t.seq, t.edited, t.kept, t.review, t.file_id AS fileId, t.created_at AS createdAt`;

/** Every column as stored (a snapshot restores the exact row). */
export const SELECT = COLUMNS('t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative');
/** The same for the paged list, with the names as the app shows them (shown-names.ts). */
const LIST_SELECT = COLUMNS(SHOWN_NAMES);

export type RawRow = Omit<TripletSnapshot, 'edited' | 'kept'> & { edited: number; kept: number; dAP?: number | null; dAN?: number | null };

/** The stored columns of a row, by column name (what insert and update write). */
export interface RowColumns {
  id: number;
  split: Split;
  anchor_id: number;
  positive_id: number;
  negative_id: number;
  anchor_name: string;
  positive_name: string;
  negative_name: string;
  status: TripletStatus;
  origin: 'imported' | 'manual';
  file_id: number | null;
  line: number | null;
  seq: number;
  edited: number;
  kept: number;
  review: string | null;
  created_at: string;
}

export function rawRow(db: Db, id: number): RawRow | undefined {
  return db.prepare(`${SELECT} FROM triplets t WHERE t.id = ?`).get(id) as RawRow | undefined;
}

export function predictionsOfTriplet(db: Db, id: number): { runId: number; dAP: number; dAN: number }[] {
  return db.prepare('SELECT run_id AS runId, d_ap AS dAP, d_an AS dAN FROM predictions WHERE triplet_id = ?').all(id) as { runId: number; dAP: number; dAN: number }[];
}

export function deleteTripletRow(db: Db, id: number): void {
  db.prepare('DELETE FROM triplets WHERE id = ?').run(id);
}

export function tripletFileExists(db: Db, fileId: number): boolean {
  return !!db.prepare('SELECT 1 FROM triplet_files WHERE id = ?').get(fileId);
}

export function insertTripletRow(db: Db, row: RowColumns): void {
  db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq, edited, kept, review, created_at)
     VALUES (@id, @split, @anchor_id, @positive_id, @negative_id, @anchor_name, @positive_name, @negative_name, @status, @origin, @file_id, @line, @seq, @edited, @kept, @review, @created_at)`,
  ).run(row);
}

/** Restores predictions of a triplet, each only while its run still exists. */
export function restorePredictions(db: Db, tripletId: number, predictions: { runId: number; dAP: number; dAN: number }[]): void {
  const ins = db.prepare('INSERT OR REPLACE INTO predictions (run_id, triplet_id, d_ap, d_an) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)');
  for (const p of predictions) ins.run(p.runId, tripletId, p.dAP, p.dAN, p.runId);
}

export function flagsOfTriplet(db: Db, id: number): { imageId: number; reason: string; flaggedAt: string }[] {
  return db.prepare('SELECT image_id AS imageId, reason, flagged_at AS flaggedAt FROM triplet_flags WHERE triplet_id = ?').all(id) as {
    imageId: number;
    reason: string;
    flaggedAt: string;
  }[];
}

/** Restores a triplet's flags as they were (each while its image exists). */
export function restoreFlags(db: Db, tripletId: number, flags: { imageId: number; reason: string; flaggedAt: string }[]): void {
  const ins = db.prepare(
    'INSERT OR REPLACE INTO triplet_flags (triplet_id, image_id, reason, flagged_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM images WHERE id = ?)',
  );
  for (const f of flags) ins.run(tripletId, f.imageId, f.reason, f.flaggedAt, f.imageId);
}

/** Writes the label-bearing columns of an existing row (not its file, line or creation time). */
export function updateTripletRow(db: Db, row: RowColumns): void {
  db.prepare(
    `UPDATE triplets SET split=@split, anchor_id=@anchor_id, positive_id=@positive_id, negative_id=@negative_id, anchor_name=@anchor_name,
     positive_name=@positive_name, negative_name=@negative_name, status=@status, edited=@edited, kept=@kept, review=@review, seq=@seq WHERE id=@id`,
  ).run(row);
}

/** An image of the triplet was replaced: its stored distances no longer apply. */
export function deletePredictionsOfTriplet(db: Db, tripletId: number): void {
  db.prepare('DELETE FROM predictions WHERE triplet_id = ?').run(tripletId);
}

/** Positive and negative traded places: so do the stored distances. */
export function swapPredictions(db: Db, tripletId: number): void {
  db.prepare('UPDATE predictions SET d_ap = d_an, d_an = d_ap WHERE triplet_id = ?').run(tripletId);
}

/** The filters of the triplet list (already validated). */
export interface TripletPageQuery {
  runId?: number | null;
  split?: Split;
  status?: string;
  edited?: boolean;
  imageId?: number;
  mispredicted?: boolean;
  offset?: number;
  limit?: number;
  /** A triplet id: its place in this list is returned, with the page holding it instead of `offset`'s. */
  find?: number;
}

/**
 * One page by split (train, then test) then import order; `runId` (if any) supplies dAP/dAN and the
 * mispredicted filter. Each split is read on its own (split = ?, ORDER BY seq) so the (split, seq)
 * index gives the order and a page deep in 100,000 triplets skips index entries, not sorted rows;
 * the ids of the page come first, then only those rows are read whole.
 */
export function tripletPageRows(db: Db, q: TripletPageQuery): { total: number; offset: number; rows: RawRow[]; found?: number | null } {
  const where: string[] = [];
  const params: Record<string, unknown> = { run: q.runId ?? -1 };
  if (q.status) (where.push('t.status = @status'), (params.status = q.status));
  if (q.edited !== undefined) (where.push('t.edited = @edited'), (params.edited = q.edited ? 1 : 0));
  if (q.imageId !== undefined) {
    where.push('(t.anchor_id = @img OR t.positive_id = @img OR t.negative_id = @img)');
    params.img = q.imageId;
  }
  if (q.mispredicted !== undefined) where.push(q.mispredicted ? 'p.d_ap >= p.d_an' : '(p.d_ap IS NULL OR p.d_ap < p.d_an)');
  if (q.find !== undefined) {
    const found = placeOf(db, q, where, params, q.find);
    const limit = q.limit ?? 100;
    const page = tripletPageRows(db, { ...q, find: undefined, offset: found === null ? q.offset : Math.floor(found / limit) * limit });
    return { ...page, found };
  }
  // One image's triplets are few: found through the image indexes and sorted, in one query.
  if (q.imageId !== undefined) return onePage(db, q, where, params);
  const from = `FROM triplets t LEFT JOIN predictions p ON p.run_id = @run AND p.triplet_id = t.id WHERE t.split = @split${where.map((w) => ` AND ${w}`).join('')}`;
  const count = db.prepare(`SELECT COUNT(*) ${from}`).pluck();
  const ids = db.prepare(`SELECT t.id ${from} ORDER BY t.seq LIMIT @limit OFFSET @offset`).pluck();
  const full = db.prepare(
    `${LIST_SELECT}, p.d_ap AS dAP, p.d_an AS dAN FROM triplets t LEFT JOIN predictions p ON p.run_id = @run AND p.triplet_id = t.id
     WHERE t.id IN (SELECT value FROM json_each(@ids)) ORDER BY t.seq`,
  );
  const offset = q.offset ?? 0;
  let skip = offset;
  let left = q.limit ?? 100;
  let total = 0;
  const rows: RawRow[] = [];
  for (const split of q.split ? [q.split] : (['train', 'test'] as const)) {
    const n = count.get({ ...params, split }) as number;
    total += n;
    if (left > 0 && skip < n) {
      const page = ids.all({ ...params, split, limit: left, offset: skip }) as number[];
      rows.push(...(full.all({ run: params.run, ids: JSON.stringify(page) }) as RawRow[]));
      left -= page.length;
    }
    skip = Math.max(0, skip - n);
  }
  return { total, offset, rows };
}

/**
 * Where triplet `id` stands in the list these filters give (split train first, then import order):
 * the rows before it. Null when the filters leave it out (or it is gone). An edit that re-sorts a
 * row (a move to the other split) lets the app's selection follow it.
 */
function placeOf(db: Db, q: TripletPageQuery, where: string[], params: Record<string, unknown>, id: number): number | null {
  const from = `FROM triplets t LEFT JOIN predictions p ON p.run_id = @run AND p.triplet_id = t.id WHERE ${[...where, '1'].join(' AND ')}`;
  const row = db.prepare(`SELECT t.split AS split, t.seq AS seq ${from} AND t.id = @findId`).get({ ...params, findId: id }) as { split: Split; seq: number } | undefined;
  if (!row || (q.split && row.split !== q.split)) return null;
  const count = db.prepare(`SELECT COUNT(*) ${from} AND t.split = @findSplit AND t.seq < @findSeq`).pluck();
  const before = count.get({ ...params, findSplit: row.split, findSeq: row.seq }) as number;
  // Without a split filter every train row comes first.
  const trainFirst = !q.split && row.split === 'test' ? (db.prepare(`SELECT COUNT(*) ${from} AND t.split = 'train'`).pluck().get(params) as number) : 0;
  return before + trainFirst;
}

function onePage(db: Db, q: TripletPageQuery, where: string[], params: Record<string, unknown>): { total: number; offset: number; rows: RawRow[] } {
  if (q.split) (where.push('t.split = @split'), (params.split = q.split));
  const from = `FROM triplets t LEFT JOIN predictions p ON p.run_id = @run AND p.triplet_id = t.id WHERE ${where.join(' AND ')}`;
  const total = db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(params) as number;
  const offset = q.offset ?? 0;
  const rows = db.prepare(`${LIST_SELECT}, p.d_ap AS dAP, p.d_an AS dAN ${from} ORDER BY t.split DESC, t.seq LIMIT @limit OFFSET @offset`).all({ ...params, limit: q.limit ?? 100, offset }) as RawRow[];
  return { total, offset, rows };
}

/** A triplet made in the app: active, no file, at position `seq`. */
export function insertManualTriplet(db: Db, id: number, split: Split, ids: [number, number, number], names: readonly string[], seq: number): void {
  db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, line, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'manual', NULL, ?)`,
  ).run(id, split, ids[0], ids[1], ids[2], names[0], names[1], names[2], seq);
}

/** The record of a triplet file being imported (hash and line count set when it is finished). */
export function insertTripletFile(db: Db, path: string, split: Split): number {
  return Number(db.prepare(`INSERT INTO triplet_files (path, split, sha256, lines) VALUES (?, ?, '', 0)`).run(path, split).lastInsertRowid);
}

export function finishTripletFile(db: Db, fileId: number, sha256: string, lines: number): void {
  db.prepare('UPDATE triplet_files SET sha256 = ?, lines = ? WHERE id = ?').run(sha256, lines, fileId);
}

/** Statement adding one imported line as an active triplet (prepared once per import). */
export function importedTripletInserter(
  db: Db,
): (id: number, split: Split, a: number, p: number, n: number, an: string, pn: string, nn: string, fileId: number, line: number, seq: number) => void {
  const st = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'imported', ?, ?, ?)`,
  );
  return (id, split, a, p, n, an, pn, nn, fileId, line, seq) => void st.run(id, split, a, p, n, an, pn, nn, fileId, line, seq);
}
