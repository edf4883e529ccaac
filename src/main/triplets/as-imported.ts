// Each triplet's labels as first imported (or made), read from the edit history: the earliest
// `before` row of a triplet is its state before the user first changed it (orientation, split,
// status); a triplet with no such row is still as imported (its current row). Triplets deleted
// since keep their first state. The one home of this rule: Review's accuracy "on labels as
// imported" (project/run-evaluate.ts) and store.asImported both use it.
import type { Split, TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { currentTripletStates, firstBeforeRows, type SnapshotTriplet, type TripletState } from '../store/triplets.js';

export interface AsImported {
  anchorId: number;
  positiveId: number;
  negativeId: number;
  status: TripletStatus;
  split: Split;
}

/** Reads a history `before` JSON row (camelCase snapshot, or snake_case columns) into the fields we need. */
function parseBefore(json: string): Omit<TripletState, 'id'> | null {
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

/** Every triplet's first state, by id (including triplets deleted since). */
export function firstStates(db: Db): Map<number, Omit<TripletState, 'id'>> {
  const states = new Map<number, Omit<TripletState, 'id'>>();
  for (const f of firstBeforeRows(db)) {
    const s = parseBefore(f.before);
    if (s) states.set(f.id, s);
  }
  for (const c of currentTripletStates(db)) if (!states.has(c.id)) states.set(c.id, c);
  return states;
}

/** The labels as imported of the given triplets; ids that never existed are left out. */
export function asImported(db: Db, tripletIds: Iterable<number>): Map<number, AsImported> {
  const states = firstStates(db);
  const out = new Map<number, AsImported>();
  for (const id of tripletIds) {
    const s = states.get(id);
    if (s) out.set(id, { anchorId: s.a, positiveId: s.p, negativeId: s.n, status: s.status as TripletStatus, split: s.split as Split });
  }
  return out;
}

/** Every triplet that was an active test triplet as first imported, in that first orientation, in import order. */
export function testTripletsAsImported(db: Db): SnapshotTriplet[] {
  return [...firstStates(db)]
    .filter(([, s]) => s.split === 'test' && s.status === 'active')
    .sort(([, x], [, y]) => x.seq - y.seq)
    .map(([id, s]) => ({ id, line: s.line, a: s.a, p: s.p, n: s.n }));
}
