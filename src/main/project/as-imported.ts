// The test labels as first imported, read from the edit history: the earliest `before` row of a
// triplet is its state before the user first changed it (orientation, split, status); a triplet with
// no such row is still as imported. Used to report accuracy on the labels as they came, next to the
// accuracy on the labels the user fixed with the model's help (which flatters the model).
import type { Db } from '../store/db.js';
import type { SnapshotTriplet } from './run-finish.js';

interface FirstState {
  split: string;
  status: string;
  a: number;
  p: number;
  n: number;
  line: number | null;
  seq: number;
}

/** Reads a history `before` JSON row (camelCase snapshot, or snake_case columns) into the fields we need. */
function parseBefore(json: string): FirstState | null {
  try {
    const r = JSON.parse(json) as Record<string, unknown>;
    const num = (...keys: string[]) => keys.map((k) => r[k]).find((v) => typeof v === 'number') as number | undefined;
    const a = num('anchorId', 'anchor_id');
    const p = num('positiveId', 'positive_id');
    const n = num('negativeId', 'negative_id');
    if (a === undefined || p === undefined || n === undefined) return null;
    return { split: String(r.split), status: String(r.status), a, p, n, line: num('line') ?? null, seq: num('seq') ?? 0 };
  } catch {
    return null;
  }
}

/** Every triplet that was an active test triplet as first imported, in that first orientation (including ones since deleted). */
export function testTripletsAsImported(db: Db): SnapshotTriplet[] {
  const firsts = db
    .prepare(
      `SELECT h.triplet_id AS id, h.before FROM history h
       JOIN (SELECT triplet_id, MIN(id) AS first FROM history WHERE before IS NOT NULL AND triplet_id IS NOT NULL GROUP BY triplet_id) f
         ON f.first = h.id`,
    )
    .all() as { id: number; before: string }[];
  const states = new Map<number, FirstState>();
  for (const f of firsts) {
    const s = parseBefore(f.before);
    if (s) states.set(f.id, s);
  }
  const current = db
    .prepare('SELECT id, split, status, anchor_id AS a, positive_id AS p, negative_id AS n, line, seq FROM triplets')
    .all() as (FirstState & { id: number })[];
  for (const c of current) if (!states.has(c.id)) states.set(c.id, c);
  return [...states]
    .filter(([, s]) => s.split === 'test' && s.status === 'active')
    .sort(([, x], [, y]) => x.seq - y.seq)
    .map(([id, s]) => ({ id, line: s.line, a: s.a, p: s.p, n: s.n }));
}
