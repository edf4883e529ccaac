// The edit history as a linear undo stack, as in every editor. A step is one edit (one row) or a
// whole triplet import (rows sharing group_id). Undo reverts the newest step still applied; redo
// re-applies the most recently undone step; a new step discards every undone one (the redo
// branch), so redo can never bring back an abandoned edit. Rows keep the full triplet row before and
// after as JSON (TripletSnapshot: positiveId, negativeId, status, split, …), and are never deleted.
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { FLAGS_CLEARED_ACTION, IMAGE_REMOVAL_ACTION, SUGGESTION_REJECT_ACTION, type HistoryEntry, type Split, type TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import * as h from '../store/history.js';
import { deleteImages, imageByNameReader, imageOfSameFileReader, imageSnapshotReader, restoreImages, tripletUses, type ImageSnapshot } from '../store/image-removal.js';
import type { HistoryRow } from '../store/history.js';
import { deleteAnswer, putAnswer, type AnswerRow } from '../store/suggestions.js';
import { deletePredictionsOfTriplet, restoreFlags } from '../store/triplet-rows.js';
import { changedImagesSince, changedOnDiskReason, deleteFlagRows, imageNameReader } from '../store/images.js';
import { namesShown } from '../store/shown-names.js';
import { applySnapshot, getSnapshot, goesWithRow, type TripletSnapshot } from './rows.js';

export interface HistoryChange {
  tripletId: number;
  before: TripletSnapshot | null;
  after: TripletSnapshot | null;
}

/** A new step makes the undone steps unreachable: the redo branch is dropped. */
function discardRedo(db: Db): void {
  h.discardUndone(db);
}

const json = (s: TripletSnapshot | null) => (s ? JSON.stringify(s) : null);

/** Records one edit as its own step (call inside the edit's transaction). */
export function recordEdit(db: Db, action: string, change: HistoryChange): void {
  discardRedo(db);
  h.insertEditRow(db, change.tripletId, action, json(change.before), json(change.after));
}

/** Records several changes as one step, undone and redone together; nothing when `changes` is empty. */
export function recordGroup(db: Db, action: string, changes: HistoryChange[], note: string | null = null): void {
  if (changes.length) insertStep(db, action, changes.map((c) => ({ tripletId: c.tripletId, before: json(c.before), after: json(c.after) })), note);
}

/**
 * Records removed images as one undoable step: one row per image, its `before` every row the
 * deletion took (ImageSnapshot), so undo brings each back with its id. Call inside the removal's
 * transaction.
 */
export function recordImageRemoval(db: Db, snapshots: ImageSnapshot[], note: string): void {
  if (snapshots.length) recordOtherStep(db, IMAGE_REMOVAL_ACTION, snapshots.map((s) => ({ before: s, after: null })), note);
}

/** One step of rows that hold no triplet (`before`/`after`: what undo and redo put back), undone and redone together. */
function recordOtherStep(db: Db, action: string, rows: { before: unknown; after: unknown }[], note: string): void {
  insertStep(db, action, rows.map((r) => ({ tripletId: null, before: r.before === null ? null : JSON.stringify(r.before), after: r.after === null ? null : JSON.stringify(r.after) })), note);
}

/** History rows of one step (the first row's id is the group of all), after dropping what redo could bring back. */
function insertStep(db: Db, action: string, rows: { tripletId: number | null; before: string | null; after: string | null }[], note: string | null): void {
  discardRedo(db);
  const ins = h.groupRowInserter(db);
  let group: number | null = null;
  for (const r of rows) {
    const id = ins(r.tripletId, action, r.before, r.after, group, note);
    if (group === null) {
      group = id;
      h.setGroup(db, id, id, id);
    }
  }
}

/** A rejected suggestion as an undoable step: `before` the answer it replaced (null: none). Call inside the answer's transaction. */
export function recordRejection(db: Db, before: AnswerRow | null, after: AnswerRow, note: string): void {
  recordOtherStep(db, SUGGESTION_REJECT_ACTION, [{ before, after }], note);
}

/** Cleared flags as one undoable step (undo flags those triplets again). Call inside the clearing's transaction. */
export function recordFlagsCleared(db: Db, flags: FlagRow[], note: string): void {
  if (flags.length) recordOtherStep(db, FLAGS_CLEARED_ACTION, [{ before: flags, after: null }], note);
}

type FlagRow = { tripletId: number; imageId: number; reason: string; flaggedAt: string };

/** A log-only entry for something undo cannot revert (an image import): shown, marked, skipped by undo/redo. */
export function recordNote(db: Db, action: string, note: string): void {
  h.insertNoteRow(db, action, note);
}

/** Lists an image import in the history; it cannot be undone (it only adds images, never edits labels). */
export function noteImageImport(db: Db, folder: string, report: { added: number; updated?: number }, stopped: string | null = null): void {
  const updated = report.updated ?? 0;
  if (report.added + updated === 0) return;
  recordNote(db, 'import-images', `${resolve(folder)}: ${report.added} added, ${updated} updated${stopped ? ` (${stopped})` : ''}`);
}

/**
 * Records every triplet with an id above `fromId` (the rows an import just added) as one undoable
 * step. Call inside the import's transaction. Written in SQL (json_object in the TripletSnapshot
 * shape of rows.ts) so a file of millions of lines never holds its rows in memory.
 */
export function recordImportStep(db: Db, fromId: number, action: string, note: string): number {
  const first = h.firstTripletIdAbove(db, fromId);
  if (first === null) return 0;
  discardRedo(db);
  const { changes, lastId } = h.insertImportRows(db, fromId, action, note);
  const group = lastId - changes + 1;
  h.setGroup(db, group, group, lastId);
  return changes;
}

/** The largest triplet id now: what an import adds comes after it (ids are never reused). */
export function lastTripletId(db: Db): number {
  return h.lastTripletId(db);
}

/** The rows of the step that `row` belongs to, oldest first. */
function stepRows(db: Db, row: { id: number; group_id: number | null }): HistoryRow[] {
  const step = row.group_id ?? row.id;
  return h.rowsOfStep(db, step);
}

/**
 * A history step as listed, from its first row and its number of rows (a step's other rows are not
 * read: an import of 100,000 lines made listing the history take a second); `shown` gives the rows
 * before and after their names as the app shows them.
 */
function toEntry({ row: r, count: n }: h.StepHeadRow, shown: ReturnType<typeof namesShown>): HistoryEntry {
  const single = n === 1 && r.triplet_id !== null;
  const images = r.action === IMAGE_REMOVAL_ACTION ? { images: n } : {};
  const answered = r.action === SUGGESTION_REJECT_ACTION ? (JSON.parse(r.after ?? 'null') as AnswerRow | null) : null;
  const suggestion = answered ? { suggestion: { anchorId: answered.anchor, lo: answered.lo, hi: answered.hi } } : {};
  return {
    id: r.id,
    at: r.at,
    tripletId: single ? r.triplet_id : null,
    action: r.action,
    before: single && r.before ? shown(JSON.parse(r.before) as Partial<TripletSnapshot>) : null,
    after: single && r.after ? shown(JSON.parse(r.after) as Partial<TripletSnapshot>) : null,
    undone: !!r.undone,
    count: r.triplet_id === null ? 0 : n,
    discarded: !!r.discarded,
    undoable: !!r.undoable,
    note: r.note,
    ...(r.made_by === 'cli' ? { madeBy: 'cli' as const } : {}),
    ...(r.undone && r.undone_by === 'cli' ? { undoneBy: 'cli' as const } : {}),
    ...images,
    ...suggestion,
  };
}

/** Steps, newest first (an import is one entry, with its triplet count). */
export function listHistory(db: Db, page: { offset?: number; limit?: number } = {}): HistoryEntry[] {
  const steps = h.stepIds(db, page.limit ?? 100, page.offset ?? 0);
  const shown = namesShown(db);
  return steps.map(h.stepHeadReader(db)).map((s) => toEntry(s, shown));
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

/**
 * Undo brings removed images back; redo removes them again. An image whose name was taken meanwhile
 * by a re-import of the same content, or whose file was imported again under another name, is back
 * already and is skipped (the answers about it move to
 * its id now); other content under its name, or a triplet now using an image redo would remove,
 * stops the step with CONFLICT (nothing changed).
 */
function applyImageRemoval(db: Db, rows: HistoryRow[], direction: 'undo' | 'redo'): void {
  const snapshots = rows.map((r) => JSON.parse(r.before ?? 'null') as ImageSnapshot).filter(Boolean);
  if (direction === 'undo') {
    const back = new Map<number, number>();
    const imageByName = imageByNameReader(db);
    const sameFile = imageOfSameFileReader(db);
    for (const s of snapshots) {
      const now = imageByName(String(s.image.name));
      if (now && now.sha256 !== s.image.sha256) {
        throw new AppError('CONFLICT', `"${s.image.name}" names another image now (imported after the removal); undo would give two images one name.`);
      }
      if (now) back.set(Number(s.image.id), now.id);
      else {
        // The same file imported again meanwhile under another name (its folder imported from a
        // different top): that image is this one back; restoring it too would give one photo two ids.
        const same = s.paths.map((p) => sameFile(String(s.image.sha256), String(p.abs_path))).find((id) => id !== undefined);
        if (same !== undefined) back.set(Number(s.image.id), same);
      }
    }
    restoreImages(db, snapshots, back);
    renameImagesInHistory(db, back);
    snapshotImagesBack(db, rows, back);
  } else {
    const ids = snapshots.map((s) => Number(s.image.id));
    const used = tripletUses(db, ids);
    if (used.size) {
      const [id, n] = [...used][0];
      const name = snapshots.find((s) => Number(s.image.id) === id)?.image.name;
      throw new AppError('CONFLICT', `"${name}" is used by ${n} triplet${n === 1 ? '' : 's'} now; redo would remove an image a label needs.`);
    }
    deleteImages(db, ids);
  }
  h.setUndone(db, rows.map((r) => r.id), direction === 'undo');
}

/**
 * After an undo where some images were back under another id, every row of the step holds its image
 * as it is now (the answers it shares with the others name the new ids too), so a redo removes those
 * photos (not the old ids, gone) and the undo after it restores each under its id now.
 */
function snapshotImagesBack(db: Db, rows: HistoryRow[], back: ReadonlyMap<number, number>): void {
  if (![...back].some(([from, to]) => from !== to)) return;
  const snapshotOf = imageSnapshotReader(db);
  for (const r of rows) {
    const old = (JSON.parse(r.before ?? 'null') as ImageSnapshot | null)?.image.id;
    const fresh = old === undefined ? undefined : snapshotOf(back.get(Number(old)) ?? Number(old));
    if (fresh) h.setSnapshot(db, r.id, 'before', JSON.stringify(fresh));
  }
}

/**
 * Images back under another id (the same photo imported again while removed): the history's triplet
 * snapshots that name them by the old id name them by the new one, so undoing an earlier delete of a
 * triplet that used one brings the triplet back onto it (the old id would fail the foreign key, and
 * every older step would stay out of reach).
 */
function renameImagesInHistory(db: Db, back: ReadonlyMap<number, number>): void {
  const moved = new Map([...back].filter(([from, to]) => from !== to));
  if (!moved.size) return;
  const now = (id: number) => moved.get(id) ?? id;
  for (const row of h.rowsNamingImages(db, [...moved.keys()])) {
    for (const side of ['before', 'after'] as const) {
      const text = row[side];
      if (!text) continue;
      const s = JSON.parse(text) as TripletSnapshot;
      const flags = s.flags?.map((f) => ({ ...f, imageId: now(f.imageId) }));
      const next = JSON.stringify({ ...s, anchorId: now(s.anchorId), positiveId: now(s.positiveId), negativeId: now(s.negativeId), ...(flags ? { flags } : {}) });
      if (next !== text) h.setSnapshot(db, row.id, side, next);
    }
  }
}

/** A rejection undone: the earlier answer (or none) is back; redone: rejected again. */
function applyRejection(db: Db, rows: HistoryRow[], direction: 'undo' | 'redo'): void {
  const nameOf = imageNameReader(db);
  for (const r of rows) {
    const to = JSON.parse((direction === 'undo' ? r.before : r.after) ?? 'null') as AnswerRow | null;
    const at = JSON.parse(r.after ?? 'null') as AnswerRow;
    // Removed images took their answers with them (an undo of the removal brings those back).
    if ([at.anchor, at.lo, at.hi].some((id) => nameOf(id) === undefined)) continue;
    if (to) putAnswer(db, to.anchor, to.lo, to.hi, to.answer, to.reason, to.tripletId);
    else deleteAnswer(db, at.anchor, at.lo, at.hi);
  }
  h.setUndone(db, rows.map((r) => r.id), direction === 'undo');
}

/** Cleared flags undone: the triplets are flagged again as they were; redone: cleared again. */
function applyFlagsCleared(db: Db, rows: HistoryRow[], direction: 'undo' | 'redo'): void {
  for (const r of rows) {
    const flags = JSON.parse(r.before ?? '[]') as FlagRow[];
    if (direction === 'undo') for (const f of flags) restoreFlags(db, f.tripletId, [f]);
    else deleteFlagRows(db, flags);
  }
  h.setUndone(db, rows.map((r) => r.id), direction === 'undo');
}

/** Moves every row of a step from one side to the other (`from` must be the stored state). */
function applyStep(db: Db, rows: HistoryRow[], direction: 'undo' | 'redo'): void {
  if (rows[0]?.action === IMAGE_REMOVAL_ACTION) return applyImageRemoval(db, rows, direction);
  if (rows[0]?.action === SUGGESTION_REJECT_ACTION) return applyRejection(db, rows, direction);
  if (rows[0]?.action === FLAGS_CLEARED_ACTION) return applyFlagsCleared(db, rows, direction);
  const ordered = direction === 'undo' ? [...rows].reverse() : rows;
  // Images given new content since the step (one query per step; usually none), with when.
  const changed = changedImagesSince(db, rows[0].at);
  for (const r of ordered) {
    if (r.triplet_id === null) continue;
    const from = JSON.parse((direction === 'undo' ? r.after : r.before) ?? 'null') as TripletSnapshot | null;
    const to = JSON.parse((direction === 'undo' ? r.before : r.after) ?? 'null') as TripletSnapshot | null;
    const current = getSnapshot(db, r.triplet_id);
    if (!sameState(current, from)) {
      throw new AppError('CONFLICT', `Triplet ${r.triplet_id} was changed outside the edit history; ${direction} would overwrite that change.`);
    }
    if (current && from && !to) keepWhatGoesWithRow(db, r, direction, from);
    applySnapshot(db, current, to);
    // Away since its deletion (this step's time), or since the undo that removed it (kept in the snapshot).
    if (!current && to && changed.size) flagChangedWhileAway(db, to, changed, to.removedAt ?? r.at, direction === 'undo' ? 'while this triplet was deleted' : 'while its creation was undone');
  }
  h.setUndone(db, rows.map((r) => r.id), direction === 'undo');
}

/**
 * A row brought back (its deletion undone, its creation redone) whose image got new content while
 * it was gone: the distances it comes back with were for the old photo, and the user has not checked
 * it against the new one. As when an image changes under a live triplet (store/images.ts
 * newVersion), its distances go and it is flagged.
 */
function flagChangedWhileAway(db: Db, t: TripletSnapshot, changed: Map<number, string>, since: string, how: string): void {
  const images = [t.anchorId, t.positiveId, t.negativeId].filter((id) => (changed.get(id) ?? '') > since);
  if (!images.length) return;
  deletePredictionsOfTriplet(db, t.id);
  const name = imageNameReader(db);
  restoreFlags(
    db,
    t.id,
    images.map((imageId) => ({ imageId, reason: changedOnDiskReason(name(imageId) ?? `#${imageId}`, how), flaggedAt: new Date().toISOString() })),
  );
}

/**
 * A step about to delete a row (undoing its creation or import, redoing its deletion) first writes the
 * row's predictions and flags into the snapshot the opposite step restores from: without them, undo
 * then redo of an import, or redo then undo of a delete, would silently drop "image changed" flags.
 */
function keepWhatGoesWithRow(db: Db, r: HistoryRow, direction: 'undo' | 'redo', from: TripletSnapshot): void {
  const extra = goesWithRow(db, r.triplet_id!);
  if (!extra.predictions?.length && !extra.flags?.length && !from.predictions?.length && !from.flags?.length) return;
  // When it went: an image changed after that (not before, while the row was live) flags it on its return.
  const removedAt = new Date().toISOString();
  h.setSnapshot(db, r.id, direction === 'undo' ? 'after' : 'before', JSON.stringify({ ...from, ...extra, removedAt }));
}

/**
 * The app's undo and redo ask first about a step the user may never have seen: `askFirstIfCommandLine`
 * refuses one made (undo) or undone (redo) from the command line, CONFLICT with the step in
 * `details.madeElsewhere` / `details.undoneElsewhere`, unless it is `confirmedStep`.
 */
export type AskFirst = { askFirstIfCommandLine?: boolean; confirmedStep?: number };

/** How each direction finds its step and what it asks about. */
const DIRECTIONS = {
  // Undone steps that are not discarded always sit above every applied one, so redo's lowest id is the one undone last.
  undo: { next: h.newestUndoable, elsewhere: (r: HistoryRow) => r.made_by === 'cli', key: 'madeElsewhere', ask: 'The last change was made from the command line: undo it? Nothing was undone.' },
  redo: { next: h.nextRedoable, elsewhere: (r: HistoryRow) => r.undone_by === 'cli', key: 'undoneElsewhere', ask: 'The last undo was made from the command line: redo that step? Nothing was redone.' },
} as const;

/** One undo or redo step, in one transaction; null when there is none. */
function step(db: Db, direction: 'undo' | 'redo', opts: AskFirst): HistoryEntry | null {
  const d = DIRECTIONS[direction];
  return db.transaction(() => {
    const head = d.next(db);
    if (!head) return null;
    const rows = stepRows(db, head);
    if (opts.askFirstIfCommandLine && d.elsewhere(rows[0]) && rows[0].id !== opts.confirmedStep) {
      throw new AppError('CONFLICT', d.ask, { [d.key]: toEntry({ row: rows[0], count: rows.length }, namesShown(db)) });
    }
    applyStep(db, rows, direction);
    return toEntry(h.stepHeadReader(db)(rows[0].id), namesShown(db));
  })();
}

/** Reverts the newest step still applied; null when there is nothing to undo. */
export const undo = (db: Db, opts: AskFirst = {}): HistoryEntry | null => step(db, 'undo', opts);

/** Re-applies the most recently undone step that no newer edit discarded; null when there is none. */
export const redo = (db: Db, opts: AskFirst = {}): HistoryEntry | null => step(db, 'redo', opts);
