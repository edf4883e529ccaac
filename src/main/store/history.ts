// SQL for the edit history (history): rows are never deleted; a step is one row or the rows sharing
// a group_id; `undone` and `discarded` mark where the linear undo stack stands. Named queries for
// triplets/history.ts, which holds the undo/redo rules and the transactions.
import type { Db } from './db.js';

export interface HistoryRow {
  id: number;
  at: string;
  triplet_id: number | null;
  action: string;
  before: string | null;
  after: string | null;
  undone: number;
  group_id: number | null;
  discarded: number;
  undoable: number;
  note: string | null;
  /** 'cli': written from the command line; null: the app (or before migration 0017). */
  made_by: string | null;
  /** 'cli': undone from the command line (and not redone since); null otherwise (or before migration 0018). */
  undone_by: string | null;
}

/** A step's first row: its id, and its group when it is part of one. */
export type StepHead = { id: number; group_id: number | null };

/** Connections of the command line: every history row they add says it was made there (`made_by`). */
const commandLine = new WeakSet<Db>();

/** The history rows this connection adds from now on are marked made from the command line. */
export function markCommandLine(db: Db): void {
  commandLine.add(db);
}

/** Whether `db` is a command-line connection (the triplet import worker's own connection is marked the same). */
export const isCommandLine = (db: Db): boolean => commandLine.has(db);

/** The `made_by` of rows `db` adds. */
const madeBy = (db: Db): string | null => (commandLine.has(db) ? 'cli' : null);

/** Marks every undone step discarded (a new step drops the redo branch). */
export function discardUndone(db: Db): void {
  db.prepare('UPDATE history SET discarded = 1 WHERE undone = 1 AND discarded = 0').run();
}

export function insertEditRow(db: Db, tripletId: number, action: string, before: string | null, after: string | null): void {
  db.prepare('INSERT INTO history (triplet_id, action, before, after, made_by) VALUES (?, ?, ?, ?, ?)').run(tripletId, action, before, after, madeBy(db));
}

/** Statement adding one row of a group; returns its id (prepared once per group). */
export function groupRowInserter(db: Db): (tripletId: number | null, action: string, before: string | null, after: string | null, group: number | null, note: string | null) => number {
  const st = db.prepare('INSERT INTO history (triplet_id, action, before, after, group_id, note, made_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const by = madeBy(db);
  return (tripletId, action, before, after, group, note) => Number(st.run(tripletId, action, before, after, group, note, by).lastInsertRowid);
}

/** Rewrites one side of a history row (what a later undo or redo restores). */
export function setSnapshot(db: Db, rowId: number, side: 'before' | 'after', json: string): void {
  db.prepare(`UPDATE history SET ${side === 'before' ? 'before' : 'after'} = ? WHERE id = ?`).run(json, rowId);
}

/** Triplet history rows whose before or after names one of these images (json_extract in SQL: a big history is not read whole). */
export function rowsNamingImages(db: Db, imageIds: number[]): { id: number; before: string | null; after: string | null }[] {
  const list = JSON.stringify(imageIds);
  const names = (side: string) =>
    ['anchorId', 'positiveId', 'negativeId'].map((k) => `json_extract(${side}, '$.${k}') IN (SELECT value FROM json_each(@list))`).join(' OR ');
  return db
    .prepare(`SELECT id, before, after FROM history WHERE triplet_id IS NOT NULL AND (${names('before')} OR ${names('after')})`)
    .all({ list }) as { id: number; before: string | null; after: string | null }[];
}

/** Sets the group of the rows with ids from `first` to `last` (a group is named by its first row). */
export function setGroup(db: Db, group: number, first: number, last: number): void {
  db.prepare('UPDATE history SET group_id = ? WHERE id BETWEEN ? AND ?').run(group, first, last);
}

/** A log-only row (not undoable, no triplet). */
export function insertNoteRow(db: Db, action: string, note: string): void {
  db.prepare('INSERT INTO history (triplet_id, action, undoable, note, made_by) VALUES (NULL, ?, 0, ?, ?)').run(action, note, madeBy(db));
}

export function firstTripletIdAbove(db: Db, fromId: number): number | null {
  return db.prepare('SELECT MIN(id) FROM triplets WHERE id > ?').pluck().get(fromId) as number | null;
}

export function lastTripletId(db: Db): number {
  return db.prepare('SELECT COALESCE(MAX(id), 0) FROM triplets').pluck().get() as number;
}

/**
 * One history row per triplet with an id above `fromId`, its `after` the full row as JSON in the
 * TripletSnapshot shape (triplets/rows.ts), written in SQL so a huge import never sits in memory.
 * Returns how many rows were added and the id of the last.
 */
export function insertImportRows(db: Db, fromId: number, action: string, note: string): { changes: number; lastId: number } {
  const bool = (col: string) => `json(CASE WHEN ${col} THEN 'true' ELSE 'false' END)`;
  const inserted = db
    .prepare(
      `INSERT INTO history (triplet_id, action, before, after, note, made_by)
       SELECT t.id, @action, NULL, json_object('id', t.id, 'split', t.split, 'anchorId', t.anchor_id,
         'positiveId', t.positive_id, 'negativeId', t.negative_id, 'anchor', t.anchor_name,
         'positive', t.positive_name, 'negative', t.negative_name, 'status', t.status, 'origin', t.origin,
         'line', t.line, 'seq', t.seq, 'edited', ${bool('t.edited')}, 'kept', ${bool("t.review = 'keep'")},
         'review', t.review, 'fileId', t.file_id, 'createdAt', t.created_at), @note, @by
       FROM triplets t WHERE t.id > @fromId ORDER BY t.id`,
    )
    .run({ action, note, fromId, by: madeBy(db) });
  return { changes: inserted.changes, lastId: Number(inserted.lastInsertRowid) };
}

/** The rows of a step (named by its first row's id), oldest first. */
export function rowsOfStep(db: Db, step: number): HistoryRow[] {
  return db.prepare('SELECT * FROM history WHERE id = ? OR group_id = ? ORDER BY id').all(step, step) as HistoryRow[];
}

/** A step's first row and how many rows it has. */
export interface StepHeadRow {
  row: HistoryRow;
  count: number;
}

/** Reader of a step's first row (named by that row's id) and its row count, counted on the group index without reading the rows (prepared once). */
export function stepHeadReader(db: Db): (step: number) => StepHeadRow {
  const head = db.prepare('SELECT * FROM history WHERE id = ?');
  const count = db.prepare('SELECT COUNT(*) FROM history WHERE group_id = ?').pluck();
  return (step) => {
    const row = head.get(step) as HistoryRow;
    return { row, count: row.group_id === null ? 1 : (count.get(row.group_id) as number) };
  };
}

/** Step ids, newest first. */
export function stepIds(db: Db, limit: number, offset: number): number[] {
  // A step's first row is its only row or names itself as the group: walked newest first on the
  // primary key, instead of grouping the whole table.
  return db.prepare('SELECT id FROM history WHERE group_id IS NULL OR group_id = id ORDER BY id DESC LIMIT ? OFFSET ?').pluck().all(limit, offset) as number[];
}

export function setUndone(db: Db, rowIds: number[], undone: boolean): void {
  // Bound as one JSON array: a step of a million rows would not fit in an SQL text's length limit.
  // Who undid it (the app's redo asks about an undo made from the command line); a redo clears it.
  db.prepare('UPDATE history SET undone = ?, undone_by = ? WHERE id IN (SELECT value FROM json_each(?))').run(undone ? 1 : 0, undone ? madeBy(db) : null, JSON.stringify(rowIds));
}

/** The newest row still applied that undo may revert. */
export function newestUndoable(db: Db): StepHead | undefined {
  return db.prepare('SELECT id, group_id FROM history WHERE undone = 0 AND undoable = 1 ORDER BY id DESC LIMIT 1').get() as StepHead | undefined;
}

/** The undone row redo re-applies first: undone, not discarded, lowest id. */
export function nextRedoable(db: Db): StepHead | undefined {
  return db.prepare('SELECT id, group_id FROM history WHERE undone = 1 AND discarded = 0 ORDER BY id LIMIT 1').get() as StepHead | undefined;
}

/**
 * Distinct triplets of `split` (before or after the change) changed by steps still applied since
 * `since` (an ISO time, same format as `at`); log-only rows excluded.
 */
export function tripletsChangedSince(db: Db, since: string, split: 'train' | 'test'): number {
  return db
    .prepare(
      // The rows since are found on history_at (0019): left to itself, SQLite walked all of history_triplet for the DISTINCT.
      `SELECT COUNT(DISTINCT triplet_id) FROM history INDEXED BY history_at
       WHERE at >= @since AND undone = 0 AND undoable = 1 AND triplet_id IS NOT NULL
         AND (json_extract(before, '$.split') = @split OR json_extract(after, '$.split') = @split)`,
    )
    .pluck()
    .get({ since, split }) as number;
}
