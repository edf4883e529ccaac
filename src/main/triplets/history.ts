// The edit history as a linear undo stack, as in every editor. A step is one edit (one row) or a
// whole triplet import (rows sharing group_id). Undo reverts the newest step still applied; redo
// re-applies the most recently undone step; a new step discards every undone one (the redo
// branch), so redo can never bring back an abandoned edit. Rows keep the full triplet row before and
// after as JSON (TripletSnapshot: positiveId, negativeId, status, split, …), and are never deleted.
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { HistoryEntry, Split, TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { applySnapshot, getSnapshot, SELECT, toSnapshot, type RawRow, type TripletSnapshot } from './rows.js';

interface HistoryRow {
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
}

export interface HistoryChange {
  tripletId: number;
  before: TripletSnapshot | null;
  after: TripletSnapshot | null;
}

/** A new step makes the undone steps unreachable: the redo branch is dropped. */
function discardRedo(db: Db): void {
  db.prepare('UPDATE history SET discarded = 1 WHERE undone = 1 AND discarded = 0').run();
}

const json = (s: TripletSnapshot | null) => (s ? JSON.stringify(s) : null);

/** Records one edit as its own step (call inside the edit's transaction). */
export function recordEdit(db: Db, action: string, change: HistoryChange): void {
  discardRedo(db);
  db.prepare('INSERT INTO history (triplet_id, action, before, after) VALUES (?, ?, ?, ?)').run(change.tripletId, action, json(change.before), json(change.after));
}

/** Records several changes as one step, undone and redone together; nothing when `changes` is empty. */
export function recordGroup(db: Db, action: string, changes: HistoryChange[], note: string | null = null): void {
  if (!changes.length) return;
  discardRedo(db);
  const ins = db.prepare('INSERT INTO history (triplet_id, action, before, after, group_id, note) VALUES (?, ?, ?, ?, ?, ?)');
  let group: number | null = null;
  for (const c of changes) {
    const id: number = Number(ins.run(c.tripletId, action, json(c.before), json(c.after), group, note).lastInsertRowid);
    if (group === null) {
      group = id;
      db.prepare('UPDATE history SET group_id = ? WHERE id = ?').run(id, id);
    }
  }
}

/** A log-only entry for something undo cannot revert (an image import): shown, marked, skipped by undo/redo. */
export function recordNote(db: Db, action: string, note: string): void {
  db.prepare('INSERT INTO history (triplet_id, action, undoable, note) VALUES (NULL, ?, 0, ?)').run(action, note);
}

/** Lists an image import in the history; it cannot be undone (it only adds images, never edits labels). */
export function noteImageImport(db: Db, folder: string, report: { added: number; updated?: number }): void {
  const updated = report.updated ?? 0;
  if (report.added + updated === 0) return;
  recordNote(db, 'import-images', `${resolve(folder)}: ${report.added} added, ${updated} updated`);
}

/**
 * Records every triplet with an id above `fromId` (the rows an import just added) as one undoable
 * step. Call inside the import's transaction. Written in SQL (json_object in the TripletSnapshot
 * shape of rows.ts) so a file of millions of lines never holds its rows in memory.
 */
export function recordImportStep(db: Db, fromId: number, action: string, note: string): number {
  const first = db.prepare('SELECT MIN(id) FROM triplets WHERE id > ?').pluck().get(fromId) as number | null;
  if (first === null) return 0;
  discardRedo(db);
  const bool = (col: string) => `json(CASE WHEN ${col} THEN 'true' ELSE 'false' END)`;
  const inserted = db
    .prepare(
      `INSERT INTO history (triplet_id, action, before, after, note)
       SELECT t.id, @action, NULL, json_object('id', t.id, 'split', t.split, 'anchorId', t.anchor_id,
         'positiveId', t.positive_id, 'negativeId', t.negative_id, 'anchor', t.anchor_name,
         'positive', t.positive_name, 'negative', t.negative_name, 'status', t.status, 'origin', t.origin,
         'line', t.line, 'seq', t.seq, 'edited', ${bool('t.edited')}, 'kept', ${bool("t.review = 'keep'")},
         'review', t.review, 'fileId', t.file_id, 'createdAt', t.created_at), @note
       FROM triplets t WHERE t.id > @fromId ORDER BY t.id`,
    )
    .run({ action, note, fromId });
  const last = Number(inserted.lastInsertRowid);
  const group = last - inserted.changes + 1;
  db.prepare('UPDATE history SET group_id = ? WHERE id BETWEEN ? AND ?').run(group, group, last);
  return inserted.changes;
}

/** The largest triplet id now: what an import adds comes after it (ids are never reused). */
export function lastTripletId(db: Db): number {
  return db.prepare('SELECT COALESCE(MAX(id), 0) FROM triplets').pluck().get() as number;
}

/** The rows of the step that `row` belongs to, oldest first. */
function stepRows(db: Db, row: { id: number; group_id: number | null }): HistoryRow[] {
  const step = row.group_id ?? row.id;
  return db.prepare('SELECT * FROM history WHERE id = ? OR group_id = ? ORDER BY id').all(step, step) as HistoryRow[];
}

function toEntry(rows: HistoryRow[]): HistoryEntry {
  const r = rows[0];
  const single = rows.length === 1 && r.triplet_id !== null;
  return {
    id: r.id,
    at: r.at,
    tripletId: single ? r.triplet_id : null,
    action: r.action,
    before: single && r.before ? JSON.parse(r.before) : null,
    after: single && r.after ? JSON.parse(r.after) : null,
    undone: !!r.undone,
    count: r.triplet_id === null ? 0 : rows.length,
    discarded: !!r.discarded,
    undoable: !!r.undoable,
    note: r.note,
  };
}

/** Steps, newest first (an import is one entry, with its triplet count). */
export function listHistory(db: Db, page: { offset?: number; limit?: number } = {}): HistoryEntry[] {
  const steps = db
    .prepare('SELECT COALESCE(group_id, id) AS step FROM history GROUP BY step ORDER BY step DESC LIMIT ? OFFSET ?')
    .pluck()
    .all(page.limit ?? 100, page.offset ?? 0) as number[];
  return steps.map((s) => toEntry(stepRows(db, { id: s, group_id: null })));
}

/** Same triplet identity and labels: the stored row is the state a history row left it in. */
function sameState(current: TripletSnapshot | null, expected: Partial<TripletSnapshot> | null): boolean {
  if (!current || !expected) return !current && !expected;
  return (
    current.split === expected.split &&
    current.anchorId === expected.anchorId &&
    current.positiveId === expected.positiveId &&
    current.negativeId === expected.negativeId &&
    current.status === expected.status
  );
}

/** Moves every row of a step from one side to the other (`from` must be the stored state). */
function applyStep(db: Db, rows: HistoryRow[], direction: 'undo' | 'redo'): void {
  const ordered = direction === 'undo' ? [...rows].reverse() : rows;
  for (const r of ordered) {
    if (r.triplet_id === null) continue;
    const from = JSON.parse((direction === 'undo' ? r.after : r.before) ?? 'null') as TripletSnapshot | null;
    const to = JSON.parse((direction === 'undo' ? r.before : r.after) ?? 'null') as TripletSnapshot | null;
    const current = getSnapshot(db, r.triplet_id);
    if (!sameState(current, from)) {
      throw new AppError('CONFLICT', `Triplet ${r.triplet_id} was changed outside the edit history; ${direction} would overwrite that change.`);
    }
    applySnapshot(db, current, to);
  }
  db.prepare(`UPDATE history SET undone = ? WHERE id IN (${rows.map((r) => r.id).join(',')})`).run(direction === 'undo' ? 1 : 0);
}

/** Reverts the newest step still applied; null when there is nothing to undo. */
export function undo(db: Db): HistoryEntry | null {
  return db.transaction(() => {
    const top = db.prepare('SELECT id, group_id FROM history WHERE undone = 0 AND undoable = 1 ORDER BY id DESC LIMIT 1').get() as
      | { id: number; group_id: number | null }
      | undefined;
    if (!top) return null;
    const rows = stepRows(db, top);
    applyStep(db, rows, 'undo');
    return toEntry(stepRows(db, top));
  })();
}

/** Re-applies the most recently undone step that no newer edit discarded; null when there is none. */
export function redo(db: Db): HistoryEntry | null {
  return db.transaction(() => {
    // Undone steps that are not discarded always sit above every applied one, so the lowest id is
    // the one undone last.
    const next = db.prepare('SELECT id, group_id FROM history WHERE undone = 1 AND discarded = 0 ORDER BY id LIMIT 1').get() as
      | { id: number; group_id: number | null }
      | undefined;
    if (!next) return null;
    const rows = stepRows(db, next);
    applyStep(db, rows, 'redo');
    return toEntry(stepRows(db, next));
  })();
}
