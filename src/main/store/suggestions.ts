// SQL of the suggestion answers family (migration 0010): rejected suggestions (never proposed
// again) and accepted ones (which train triplet they became). Transactions stay with the caller.
import type { Db } from './db.js';

export type SuggestionAnswer = 'accepted' | 'swapped' | 'rejected';

export interface AnswerRow {
  anchor: number;
  lo: number;
  hi: number;
  answer: SuggestionAnswer;
  reason: string | null;
  tripletId: number | null;
}

/** Records (or replaces) the answer to the suggestion anchor + {x, y}. */
export function putAnswer(db: Db, anchor: number, x: number, y: number, answer: SuggestionAnswer, reason: string | null, tripletId: number | null): void {
  db.prepare(
    `INSERT OR REPLACE INTO suggestion_answers (anchor_id, pair_lo, pair_hi, answer, reason, triplet_id) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(anchor, Math.min(x, y), Math.max(x, y), answer, reason, tripletId);
}

/** The answer to the suggestion anchor + {x, y}, if any. */
export function answerOf(db: Db, anchor: number, x: number, y: number): AnswerRow | null {
  const row = db
    .prepare('SELECT anchor_id AS anchor, pair_lo AS lo, pair_hi AS hi, answer, reason, triplet_id AS tripletId FROM suggestion_answers WHERE anchor_id = ? AND pair_lo = ? AND pair_hi = ?')
    .get(anchor, Math.min(x, y), Math.max(x, y)) as AnswerRow | undefined;
  return row ?? null;
}

/** Forgets the answer (the user went back to the suggestion to answer it again). */
export function deleteAnswer(db: Db, anchor: number, x: number, y: number): void {
  db.prepare('DELETE FROM suggestion_answers WHERE anchor_id = ? AND pair_lo = ? AND pair_hi = ?').run(anchor, Math.min(x, y), Math.max(x, y));
}

/** Every rejected suggestion. */
export function rejectedAnswers(db: Db): AnswerRow[] {
  return db
    .prepare(`SELECT anchor_id AS anchor, pair_lo AS lo, pair_hi AS hi, answer, reason, triplet_id AS tripletId FROM suggestion_answers WHERE answer = 'rejected'`)
    .all() as AnswerRow[];
}

/** How many suggestions were answered each way (accepted ones counted only while their triplet exists). */
export function answerCounts(db: Db): Record<SuggestionAnswer, number> {
  const rows = db
    .prepare(
      `SELECT s.answer AS answer, COUNT(*) AS n FROM suggestion_answers s
       WHERE s.answer = 'rejected' OR EXISTS (SELECT 1 FROM triplets t WHERE t.id = s.triplet_id)
       GROUP BY s.answer`,
    )
    .all() as { answer: SuggestionAnswer; n: number }[];
  const out: Record<SuggestionAnswer, number> = { accepted: 0, swapped: 0, rejected: 0 };
  for (const r of rows) out[r.answer] = r.n;
  return out;
}

/** Images used by any test triplet (active or excluded): suggestions never show them. */
export function testImageIds(db: Db): Set<number> {
  const rows = db.prepare(`SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE split = 'test'`).all() as {
    a: number;
    p: number;
    n: number;
  }[];
  const out = new Set<number>();
  for (const r of rows) (out.add(r.a), out.add(r.p), out.add(r.n));
  return out;
}

/** Every stored triplet (any split or status) as [anchor, positive, negative]: never suggested again. */
export function storedTriples(db: Db): [number, number, number][] {
  return (db.prepare('SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets').all() as { a: number; p: number; n: number }[]).map(
    (r) => [r.a, r.p, r.n],
  );
}
