// Triplet rows as full snapshots: read one, and make the stored row equal a snapshot (used by edits,
// undo and redo). A snapshot holds every column, so restoring it gives back the exact row.
import { AppError } from '../../shared/errors.js';
import type { ReviewDecision, TripletRecord } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import * as rows from '../store/triplet-rows.js';
import type { RawRow, TripletSnapshot } from '../store/triplet-rows.js';

// The row types and their SQL live in store/triplet-rows.ts; re-exported for the callers here.
export { SELECT, type RawRow, type TripletSnapshot } from '../store/triplet-rows.js';

export function toSnapshot(r: RawRow): TripletSnapshot {
  return { ...r, edited: !!r.edited, kept: r.review === 'keep', review: r.review ?? null };
}

/** The public record (no file id / creation time). */
export function toRecord(s: TripletSnapshot): TripletRecord {
  const { fileId: _f, createdAt: _c, predictions: _p, flags: _g, removedAt: _r, ...rec } = s;
  return rec;
}

export function getSnapshot(db: Db, id: number): TripletSnapshot | null {
  const r = rows.rawRow(db, id);
  return r ? toSnapshot(r) : null;
}

/** What is stored with a row and goes when it is deleted: kept in the snapshot so a restore brings it back. */
export function goesWithRow(db: Db, id: number): Pick<TripletSnapshot, 'predictions' | 'flags'> {
  return { predictions: rows.predictionsOfTriplet(db, id), flags: rows.flagsOfTriplet(db, id) };
}

/** A snapshot's review decision; snapshots written before migration 0004 only carry `kept`. */
export function reviewOf(s: Partial<TripletSnapshot>): ReviewDecision | null {
  return s.review !== undefined ? s.review : s.kept ? 'keep' : null;
}

/**
 * Makes the stored row equal `target` (null = absent). When positive and negative trade places the
 * stored distances trade places too: the model's distances are unchanged, only the labels moved.
 */
export function applySnapshot(db: Db, current: TripletSnapshot | null, target: TripletSnapshot | null): void {
  if (!target) {
    if (current) rows.deleteTripletRow(db, current.id);
    return;
  }
  const review = reviewOf(target);
  const row: rows.RowColumns = {
    id: target.id,
    split: target.split,
    anchor_id: target.anchorId,
    positive_id: target.positiveId,
    negative_id: target.negativeId,
    anchor_name: target.anchor,
    positive_name: target.positive,
    negative_name: target.negative,
    status: target.status,
    origin: target.origin,
    file_id: target.fileId,
    line: target.line,
    seq: target.seq,
    edited: target.edited ? 1 : 0,
    kept: review === 'keep' ? 1 : 0,
    review,
    created_at: target.createdAt,
  };
  guardUnique(() => {
    if (!current) {
      // file_id may point at a file record that no longer exists; keep the row anyway.
      const fileOk = row.file_id === null || rows.tripletFileExists(db, row.file_id);
      rows.insertTripletRow(db, { ...row, file_id: fileOk ? row.file_id : null });
      rows.restorePredictions(db, target.id, target.predictions ?? []);
      rows.restoreFlags(db, target.id, target.flags ?? []);
      return;
    }
    rows.updateTripletRow(db, row);
    if (current.positiveId === target.negativeId && current.negativeId === target.positiveId) rows.swapPredictions(db, target.id);
  });
}

export function guardUnique<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      throw new AppError('CONFLICT', `The change conflicts with the stored triplets (${(err as Error).message}).`);
    }
    throw err;
  }
}
