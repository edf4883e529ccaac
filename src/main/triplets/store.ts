// Triplet queries and edits. Every edit writes its history row (full row before and after, as JSON)
// in the same transaction as the change; a deletion keeps the whole row (and its predictions) in
// history so undo restores it with the same id and seq. Undo/redo live in history.ts.
import { AppError } from '../../shared/errors.js';
import type { ReviewDecision, Split, TripletEdit, TripletPage, TripletQuery, TripletRecord } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageNameReader } from '../store/images.js';
import { namesShown } from '../store/shown-names.js';
import { deletePredictionsOfTriplet, insertManualTriplet, tripletPageRows } from '../store/triplet-rows.js';
import { recordEdit } from './history.js';
import { nextSeq, nextTripletId } from './ids.js';
import { checkInclude, checkNewLabel, checkSwap } from './label-checks.js';
import { replacedSnapshot } from './replace.js';
import { applySnapshot, getSnapshot, goesWithRow, guardUnique, toRecord, toSnapshot, type TripletSnapshot } from './rows.js';

export { listHistory, redo, undo, type AskFirst } from './history.js';
export { asImported, type AsImported } from './as-imported.js';
export { getSnapshot, toRecord, type TripletSnapshot } from './rows.js';

/** Lists triplets by split then import order; `runId` (if any) supplies dAP/dAN and the mispredicted filter. */
export function listTriplets(db: Db, q: Omit<TripletQuery, 'runId'> & { runId?: number | null }): TripletPage {
  const { total, offset, rows, found } = tripletPageRows(db, q);
  return { total, offset, items: rows.map((r) => toRecord(toSnapshot(r))), ...(found === undefined ? {} : { found }) };
}

/**
 * Adds a triplet made in the app (or with `triplet-studio add`) at the end of its split. `names` are
 * the names as the user wrote them (kept like a triplet file's); default: the images' names.
 */
export function createTriplet(
  db: Db,
  args: { split: Split; anchorId: number; positiveId: number; negativeId: number; names?: [string, string, string]; allowLeakage?: boolean },
): TripletRecord {
  const { split, anchorId, positiveId, negativeId } = args;
  if (anchorId === positiveId || anchorId === negativeId || positiveId === negativeId) {
    throw new AppError('BAD_ARGUMENTS', 'A triplet needs three different images.');
  }
  return db.transaction(() => {
    const nameOf = imageNameReader(db);
    const stored = [anchorId, positiveId, negativeId].map((id) => {
      const name = nameOf(id);
      if (name === undefined) throw new AppError('NOT_FOUND', `Image ${id} not found.`);
      return name;
    });
    const names = args.names ?? stored;
    checkNewLabel(db, 0, split, anchorId, positiveId, negativeId, args.allowLeakage === true);
    const id = nextTripletId(db);
    guardUnique(() => insertManualTriplet(db, id, split, [anchorId, positiveId, negativeId], names, nextSeq(db, split)));
    const after = getSnapshot(db, id)!;
    recordEdit(db, 'create', { tripletId: id, before: null, after });
    return namesShown(db)(toRecord(after));
  })();
}

/** Applies one edit; returns the new record (null after a delete). */
export function editTriplet(db: Db, id: number, edit: TripletEdit): TripletRecord | null {
  return db.transaction(() => {
    const before = getSnapshot(db, id);
    if (!before) throw new AppError('NOT_FOUND', `Triplet ${id} not found.`);
    const after = editedSnapshot(db, before, edit);
    if (after && sameRow(before, after)) return namesShown(db)(toRecord(before));
    const full = after ? before : { ...before, ...goesWithRow(db, id) };
    applySnapshot(db, before, after);
    // The model's distances were for the old images: the triplet is scored again on the next evaluation.
    if (edit.kind === 'replace' && after) deletePredictionsOfTriplet(db, id);
    recordEdit(db, edit.kind, { tripletId: id, before: full, after: after ? getSnapshot(db, id) : null });
    return after ? namesShown(db)(toRecord(getSnapshot(db, id)!)) : null;
  })();
}

function editedSnapshot(db: Db, s: TripletSnapshot, edit: TripletEdit): TripletSnapshot | null {
  switch (edit.kind) {
    case 'swap':
      if (edit.positiveId !== undefined && edit.positiveId !== s.positiveId) {
        throw new AppError('CONFLICT', `Triplet ${s.id} was changed elsewhere meanwhile (its positive is not the image shown); nothing was swapped. Look at it again.`);
      }
      checkSwap(db, s.id, s.split, s.anchorId, s.positiveId, s.negativeId);
      // "Labels wrong" supersedes an earlier "model wrong — keep these labels".
      return { ...s, positiveId: s.negativeId, negativeId: s.positiveId, positive: s.negative, negative: s.positive, edited: true, ...clearReview(s, 'keep') };
    case 'exclude':
      return { ...s, status: 'excluded', edited: true };
    case 'include':
      if (s.status === 'excluded') checkInclude(db, s.id, s.split, s.anchorId, s.positiveId, s.negativeId, edit.allowLeakage === true);
      return { ...s, status: 'active', edited: true, ...clearReview(s, 'ambiguous') };
    case 'keep':
      return withReview(s, 'keep');
    case 'review':
      return withReview(s, edit.review);
    case 'move':
      if (edit.split === s.split) return s;
      // In the other split it is a new label there: no duplicate, contradiction or leakage.
      checkNewLabel(db, s.id, edit.split, s.anchorId, s.positiveId, s.negativeId, edit.allowLeakage === true);
      return { ...s, split: edit.split, seq: nextSeq(db, edit.split), edited: true };
    case 'delete':
      return null;
    case 'replace':
      return replacedSnapshot(db, s, edit);
  }
}

/** A review decision; "ambiguous" also takes the triplet out of training and test (one undoable step). */
function withReview(s: TripletSnapshot, review: ReviewDecision | null): TripletSnapshot {
  const next = { ...s, review, kept: review === 'keep' };
  return review === 'ambiguous' ? { ...next, status: 'excluded', edited: true } : next;
}

function clearReview(s: TripletSnapshot, which: ReviewDecision): Partial<TripletSnapshot> {
  return s.review === which ? { review: null, kept: false } : {};
}

function sameRow(a: TripletSnapshot, b: TripletSnapshot): boolean {
  return JSON.stringify(toComparable(a)) === JSON.stringify(toComparable(b));
}
const toComparable = (s: TripletSnapshot) => {
  const { predictions: _p, flags: _g, dAP: _a, dAN: _n, ...rest } = s;
  return rest;
};
