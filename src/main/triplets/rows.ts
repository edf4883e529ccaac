// Triplet rows as full snapshots: read one, and make the stored row equal a snapshot (used by edits,
// undo and redo). A snapshot holds every column, so restoring it gives back the exact row.
import { AppError } from '../../shared/errors.js';
import type { ReviewDecision, TripletRecord } from '../../shared/types.js';
import type { Db } from '../store/db.js';

/** A full triplet row: enough to restore it exactly. */
export interface TripletSnapshot extends TripletRecord {
  fileId: number | null;
  createdAt: string;
  kept: boolean;
  /** Only in the `before` of a deletion: the predictions that went with the row. */
  predictions?: { runId: number; dAP: number; dAN: number }[];
}

export const SELECT = `SELECT t.id, t.split, t.anchor_id AS anchorId, t.positive_id AS positiveId, t.negative_id AS negativeId,
  t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative, t.status, t.origin, t.line, t.seq,
  t.edited, t.kept, t.review, t.file_id AS fileId, t.created_at AS createdAt`;

export type RawRow = Omit<TripletSnapshot, 'edited' | 'kept'> & { edited: number; kept: number; dAP?: number | null; dAN?: number | null };

export function toSnapshot(r: RawRow): TripletSnapshot {
  return { ...r, edited: !!r.edited, kept: r.review === 'keep', review: r.review ?? null };
}

/** The public record (no file id / creation time). */
export function toRecord(s: TripletSnapshot): TripletRecord {
  const { fileId: _f, createdAt: _c, predictions: _p, ...rec } = s;
  return rec;
}

export function getSnapshot(db: Db, id: number): TripletSnapshot | null {
  const r = db.prepare(`${SELECT} FROM triplets t WHERE t.id = ?`).get(id) as RawRow | undefined;
  return r ? toSnapshot(r) : null;
}

export function predictionsOf(db: Db, id: number): { runId: number; dAP: number; dAN: number }[] {
  return db.prepare('SELECT run_id AS runId, d_ap AS dAP, d_an AS dAN FROM predictions WHERE triplet_id = ?').all(id) as {
    runId: number;
    dAP: number;
    dAN: number;
  }[];
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
    if (current) db.prepare('DELETE FROM triplets WHERE id = ?').run(current.id);
    return;
  }
  const review = reviewOf(target);
  const row = {
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
      const fileOk = row.file_id === null || db.prepare('SELECT 1 FROM triplet_files WHERE id = ?').get(row.file_id);
      db.prepare(
        `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq, edited, kept, review, created_at)
         VALUES (@id, @split, @anchor_id, @positive_id, @negative_id, @anchor_name, @positive_name, @negative_name, @status, @origin, @file_id, @line, @seq, @edited, @kept, @review, @created_at)`,
      ).run({ ...row, file_id: fileOk ? row.file_id : null });
      const ins = db.prepare('INSERT OR REPLACE INTO predictions (run_id, triplet_id, d_ap, d_an) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)');
      for (const p of target.predictions ?? []) ins.run(p.runId, target.id, p.dAP, p.dAN, p.runId);
      return;
    }
    db.prepare(
      `UPDATE triplets SET split=@split, anchor_id=@anchor_id, positive_id=@positive_id, negative_id=@negative_id, anchor_name=@anchor_name,
       positive_name=@positive_name, negative_name=@negative_name, status=@status, edited=@edited, kept=@kept, review=@review, seq=@seq WHERE id=@id`,
    ).run(row);
    if (current.positiveId === target.negativeId && current.negativeId === target.positiveId) {
      db.prepare('UPDATE predictions SET d_ap = d_an, d_an = d_ap WHERE triplet_id = ?').run(target.id);
    }
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
