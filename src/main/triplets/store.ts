// Triplet queries and edits with an undoable history. Every edit writes its history row (full row
// before and after, as JSON) in the same transaction as the change; a deletion keeps the whole row
// (and its predictions) in history so undo restores it with the same id and seq.
import { AppError } from '../../shared/errors.js';
import type { HistoryEntry, Split, TripletEdit, TripletPage, TripletQuery, TripletRecord } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { nextSeq, nextTripletId } from './ids.js';

/** A full triplet row: enough to restore it exactly. */
export interface TripletSnapshot extends TripletRecord {
  fileId: number | null;
  createdAt: string;
  kept: boolean;
  /** Only in the `before` of a deletion: the predictions that went with the row. */
  predictions?: { runId: number; dAP: number; dAN: number }[];
}

const SELECT = `SELECT t.id, t.split, t.anchor_id AS anchorId, t.positive_id AS positiveId, t.negative_id AS negativeId,
  t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative, t.status, t.origin, t.line, t.seq,
  t.edited, t.kept, t.file_id AS fileId, t.created_at AS createdAt`;

type RawRow = Omit<TripletSnapshot, 'edited' | 'kept'> & { edited: number; kept: number; dAP?: number | null; dAN?: number | null };

function toSnapshot(r: RawRow): TripletSnapshot {
  return { ...r, edited: !!r.edited, kept: !!r.kept };
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

/** Lists triplets by split then import order; `runId` (if any) supplies dAP/dAN and the mispredicted filter. */
export function listTriplets(db: Db, q: Omit<TripletQuery, 'runId'> & { runId?: number | null }): TripletPage {
  const where: string[] = [];
  const params: Record<string, unknown> = { run: q.runId ?? -1 };
  if (q.split) (where.push('t.split = @split'), (params.split = q.split));
  if (q.status) (where.push('t.status = @status'), (params.status = q.status));
  if (q.edited !== undefined) (where.push('t.edited = @edited'), (params.edited = q.edited ? 1 : 0));
  if (q.imageId !== undefined) {
    where.push('(t.anchor_id = @img OR t.positive_id = @img OR t.negative_id = @img)');
    params.img = q.imageId;
  }
  if (q.mispredicted !== undefined) where.push(q.mispredicted ? 'p.d_ap >= p.d_an' : '(p.d_ap IS NULL OR p.d_ap < p.d_an)');
  const from = `FROM triplets t LEFT JOIN predictions p ON p.run_id = @run AND p.triplet_id = t.id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n;
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 100;
  const rows = db
    .prepare(`${SELECT}, p.d_ap AS dAP, p.d_an AS dAN ${from} ORDER BY t.split DESC, t.seq LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit, offset }) as RawRow[];
  return { total, offset, items: rows.map((r) => toRecord(toSnapshot(r))) };
}

/** Adds a triplet made in the app at the end of its split. */
export function createTriplet(db: Db, args: { split: Split; anchorId: number; positiveId: number; negativeId: number }): TripletRecord {
  const { split, anchorId, positiveId, negativeId } = args;
  if (anchorId === positiveId || anchorId === negativeId || positiveId === negativeId) {
    throw new AppError('BAD_ARGUMENTS', 'A triplet needs three different images.');
  }
  return db.transaction(() => {
    const names = [anchorId, positiveId, negativeId].map((id) => {
      const r = db.prepare('SELECT name FROM images WHERE id = ?').get(id) as { name: string } | undefined;
      if (!r) throw new AppError('NOT_FOUND', `Image ${id} not found.`);
      return r.name;
    });
    const dup = db.prepare('SELECT id FROM triplets WHERE split = ? AND anchor_id = ? AND positive_id = ? AND negative_id = ?').pluck().get(split, anchorId, positiveId, negativeId);
    if (dup !== undefined) throw new AppError('CONFLICT', `That triplet already exists in the ${split} split (triplet ${dup}).`);
    const id = nextTripletId(db);
    guardUnique(() =>
      db
        .prepare(
          `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, line, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'manual', NULL, ?)`,
        )
        .run(id, split, anchorId, positiveId, negativeId, names[0], names[1], names[2], nextSeq(db, split)),
    );
    const after = getSnapshot(db, id)!;
    writeHistory(db, id, 'create', null, after);
    return toRecord(after);
  })();
}

/** Applies one edit; returns the new record (null after a delete). */
export function editTriplet(db: Db, id: number, edit: TripletEdit): TripletRecord | null {
  return db.transaction(() => {
    const before = getSnapshot(db, id);
    if (!before) throw new AppError('NOT_FOUND', `Triplet ${id} not found.`);
    const after = editedSnapshot(db, before, edit);
    if (after && sameRow(before, after)) return toRecord(before);
    const full = after ? before : { ...before, predictions: predictionsOf(db, id) };
    applySnapshot(db, before, after);
    writeHistory(db, id, edit.kind, full, after ? getSnapshot(db, id) : null);
    return after ? toRecord(getSnapshot(db, id)!) : null;
  })();
}

function editedSnapshot(db: Db, s: TripletSnapshot, edit: TripletEdit): TripletSnapshot | null {
  switch (edit.kind) {
    case 'swap':
      return { ...s, positiveId: s.negativeId, negativeId: s.positiveId, positive: s.negative, negative: s.positive, edited: true };
    case 'exclude':
      return { ...s, status: 'excluded', edited: true };
    case 'include':
      return { ...s, status: 'active', edited: true };
    case 'keep':
      return { ...s, kept: true };
    case 'move':
      return edit.split === s.split ? s : { ...s, split: edit.split, seq: nextSeq(db, edit.split), edited: true };
    case 'delete':
      return null;
  }
}

function sameRow(a: TripletSnapshot, b: TripletSnapshot): boolean {
  return JSON.stringify(toComparable(a)) === JSON.stringify(toComparable(b));
}
const toComparable = (s: TripletSnapshot) => {
  const { predictions: _p, dAP: _a, dAN: _n, ...rest } = s;
  return rest;
};

function predictionsOf(db: Db, id: number): { runId: number; dAP: number; dAN: number }[] {
  return db.prepare('SELECT run_id AS runId, d_ap AS dAP, d_an AS dAN FROM predictions WHERE triplet_id = ?').all(id) as {
    runId: number;
    dAP: number;
    dAN: number;
  }[];
}

/**
 * Makes the stored row equal `target` (null = absent). When positive and negative trade places the
 * stored distances trade places too: the model's distances are unchanged, only the labels moved.
 */
function applySnapshot(db: Db, current: TripletSnapshot | null, target: TripletSnapshot | null): void {
  if (!target) {
    if (current) db.prepare('DELETE FROM triplets WHERE id = ?').run(current.id);
    return;
  }
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
    kept: target.kept ? 1 : 0,
    created_at: target.createdAt,
  };
  guardUnique(() => {
    if (!current) {
      // file_id may point at a file record that no longer exists; keep the row anyway.
      const fileOk = row.file_id === null || db.prepare('SELECT 1 FROM triplet_files WHERE id = ?').get(row.file_id);
      db.prepare(
        `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq, edited, kept, created_at)
         VALUES (@id, @split, @anchor_id, @positive_id, @negative_id, @anchor_name, @positive_name, @negative_name, @status, @origin, @file_id, @line, @seq, @edited, @kept, @created_at)`,
      ).run({ ...row, file_id: fileOk ? row.file_id : null });
      const ins = db.prepare('INSERT OR REPLACE INTO predictions (run_id, triplet_id, d_ap, d_an) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)');
      for (const p of target.predictions ?? []) ins.run(p.runId, target.id, p.dAP, p.dAN, p.runId);
      return;
    }
    db.prepare(
      `UPDATE triplets SET split=@split, anchor_id=@anchor_id, positive_id=@positive_id, negative_id=@negative_id, anchor_name=@anchor_name,
       positive_name=@positive_name, negative_name=@negative_name, status=@status, edited=@edited, kept=@kept, seq=@seq WHERE id=@id`,
    ).run(row);
    if (current.positiveId === target.negativeId && current.negativeId === target.positiveId) {
      db.prepare('UPDATE predictions SET d_ap = d_an, d_an = d_ap WHERE triplet_id = ?').run(target.id);
    }
  });
}

function guardUnique<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      throw new AppError('CONFLICT', `The change conflicts with the stored triplets (${(err as Error).message}).`);
    }
    throw err;
  }
}

function writeHistory(db: Db, tripletId: number, action: string, before: TripletSnapshot | null, after: TripletSnapshot | null): void {
  db.prepare('INSERT INTO history (triplet_id, action, before, after) VALUES (?, ?, ?, ?)').run(
    tripletId,
    action,
    before ? JSON.stringify(before) : null,
    after ? JSON.stringify(after) : null,
  );
}

interface HistoryRow {
  id: number;
  at: string;
  triplet_id: number;
  action: string;
  before: string | null;
  after: string | null;
  undone: number;
}

function toEntry(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    at: r.at,
    tripletId: r.triplet_id,
    action: r.action,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
    undone: !!r.undone,
  };
}

/** Newest first. */
export function listHistory(db: Db, page: { offset?: number; limit?: number } = {}): HistoryEntry[] {
  const rows = db.prepare('SELECT * FROM history ORDER BY id DESC LIMIT ? OFFSET ?').all(page.limit ?? 100, page.offset ?? 0) as HistoryRow[];
  return rows.map(toEntry);
}

/** Reverts the newest change not yet undone (restores `before`). */
export function undo(db: Db): HistoryEntry | null {
  return db.transaction(() => {
    const r = db.prepare('SELECT * FROM history WHERE undone = 0 ORDER BY id DESC LIMIT 1').get() as HistoryRow | undefined;
    if (!r) return null;
    const e = toEntry(r);
    applySnapshot(db, getSnapshot(db, e.tripletId), e.before as TripletSnapshot | null);
    db.prepare('UPDATE history SET undone = 1 WHERE id = ?').run(r.id);
    return { ...e, undone: true };
  })();
}

/** Re-applies the oldest undone change that no later change has superseded. */
export function redo(db: Db): HistoryEntry | null {
  return db.transaction(() => {
    const r = db
      .prepare('SELECT * FROM history WHERE undone = 1 AND id > (SELECT COALESCE(MAX(id), 0) FROM history WHERE undone = 0) ORDER BY id LIMIT 1')
      .get() as HistoryRow | undefined;
    if (!r) return null;
    const e = toEntry(r);
    applySnapshot(db, getSnapshot(db, e.tripletId), e.after as TripletSnapshot | null);
    db.prepare('UPDATE history SET undone = 0 WHERE id = ?').run(r.id);
    return { ...e, undone: false };
  })();
}
