// Decides what a resolved line of a triplet file means against the store: a new triplet, a repeat, a
// line the user has since changed (swapped, excluded, deleted, moved), a contradiction, or leakage
// across the train/test split. A triplet is the same whichever way its positive and negative are
// ordered, so every lookup is on (anchor, {positive, negative}) in both splits.
import { basename } from 'node:path';
import type { Split, TripletConflictKind, TripletRef, TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { activeTripletKeys } from '../store/audit.js';
import { activeImageTriples, activeTripletsUsing, deletedTripletRows, importedLineReader, priorMatchesReader, usedBeforeReader, type PriorRow } from '../store/triplet-reads.js';
import { Capped } from './report.js';

export interface LineIds {
  line: number;
  anchorId: number;
  positiveId: number;
  negativeId: number;
}

export type Verdict =
  | { kind: 'add' }
  /** A line repeated inside the file being imported: kept, so export gives the file back. */
  | { kind: 'add-repeat' }
  | { kind: 'conflict'; conflict: TripletConflictKind; triplet: TripletRef | null; reason: string }
  | { kind: 'leak'; triplet: TripletRef | null; reason: string }
  | { kind: 'invalid'; reason: string };

type Row = PriorRow;

/** The store as one import sees it (inside its transaction). */
export class Classifier {
  private readonly prior;
  private readonly mine;
  /** Images used by active triplets of the other split. */
  private readonly otherImages = new Set<number>();
  /** Images the lines this import adds use. */
  private readonly addedImages = new Set<number>();
  /** Stored triplets of the other split a line was reported leaking against (the same triplet). */
  private readonly blamed = new Set<number>();
  /** Deleted triplets history still remembers, by unordered key. */
  private readonly deleted = new Map<string, { id: number; split: Split }>();
  readonly shared = new Set<number>();

  /** `firstId`: the first id this import gives; rows below it were stored before. */
  constructor(
    db: Db,
    private readonly split: Split,
    private readonly firstId: number,
    private readonly path: string,
  ) {
    // Both lookups are one index range (the key plus rowid), so a file that repeats one line a
    // million times stays linear.
    this.prior = priorMatchesReader(db);
    this.mine = importedLineReader(db);
    const other = split === 'train' ? 'test' : 'train';
    for (const [a, p, n] of activeImageTriples(db, other)) (this.otherImages.add(a), this.otherImages.add(p), this.otherImages.add(n));
    this.loadDeleted(db);
  }

  /**
   * A line was added: its images are used by this split from now on. `leakedWith`: the stored
   * triplet it was reported leaking against (imported anyway), said with the line and not again.
   */
  added(ids: readonly number[], leakedWith?: number): void {
    for (const id of ids) this.addedImages.add(id);
    if (leakedWith !== undefined) this.blamed.add(leakedWith);
  }

  /**
   * Stored active triplets of the other split whose three images are all used by this split only
   * since this import's lines: the leak a line's own check cannot see (a test file that uses every
   * image of a train triplet, spread over several lines). Their ids, capped, and how many. Reads
   * only the triplets that use an image new to this split (indexed), not the whole table.
   */
  completedLeaks(db: Db): Capped<number> {
    const out = new Capped<number>();
    const before = usedBeforeReader(db, this.split, this.firstId);
    const fresh = [...this.addedImages].filter((id) => !before(id));
    if (!fresh.length) return out;
    const after = (id: number) => this.addedImages.has(id) || before(id);
    // Few new images: the triplets that use them, by index; many (a first big file): one pass is cheaper.
    const rows = fresh.length > 1000 ? activeTripletKeys(db, this.otherSplit()) : activeTripletsUsing(db, this.otherSplit(), fresh);
    for (const [id, ...its] of rows) {
      if (!this.blamed.has(id) && !its.every(before) && its.every(after)) out.push(id);
    }
    return out;
  }

  /** Deletions not undone whose row is gone: re-adding them would silently undo the user's delete. */
  private loadDeleted(db: Db): void {
    for (const r of deletedTripletRows(db)) {
      const b = JSON.parse(r.before) as { split: Split; anchorId: number; positiveId: number; negativeId: number };
      this.deleted.set(key(b.split, b.anchorId, b.positiveId, b.negativeId), { id: r.triplet_id, split: b.split });
    }
  }

  classify(t: LineIds): Verdict {
    const { anchorId: a, positiveId: p, negativeId: n } = t;
    for (const id of [a, p, n]) if (this.otherImages.has(id)) this.shared.add(id);
    const verdict = this.againstPrior(this.prior(a, p, n, this.firstId), p);
    if (verdict) return verdict;
    const earlier = this.mine(this.split, a, n, p, this.firstId);
    if (earlier !== undefined) return { kind: 'invalid', reason: `contradicts line ${earlier} of this file (positive and negative the other way round)` };
    const gone = this.deleted.get(key(this.split, a, p, n));
    if (gone) return { kind: 'conflict', conflict: 'deleted', triplet: null, reason: `you deleted it (triplet #${gone.id})` };
    if (this.otherImages.has(a) && this.otherImages.has(p) && this.otherImages.has(n)) {
      return { kind: 'leak', triplet: null, reason: `all three images are used by ${this.otherSplit()} triplets` };
    }
    return this.mine(this.split, a, p, n, this.firstId) !== undefined ? { kind: 'add-repeat' } : { kind: 'add' };
  }

  private againstPrior(rows: Row[], p: number): Verdict | null {
    const same = rows.find((r) => r.split === this.split && r.positive_id === p) ?? rows.find((r) => r.split === this.split);
    if (same) return this.sameSplit(same, same.positive_id === p);
    const moved = rows.find((r) => r.origin === 'imported' && r.file_split === this.split);
    if (moved) return { kind: 'conflict', conflict: 'moved', triplet: ref(moved), reason: `you moved it to ${moved.split} (triplet #${moved.id})` };
    const leak = rows[0];
    if (leak) return { kind: 'leak', triplet: ref(leak), reason: `same triplet as ${leak.split} triplet #${leak.id}${from(leak)}` };
    return null;
  }

  private sameSplit(r: Row, sameOrientation: boolean): Verdict {
    const t = ref(r);
    const excluded = r.status === 'excluded';
    if (sameOrientation) {
      return excluded
        ? { kind: 'conflict', conflict: 'excluded', triplet: t, reason: `you excluded it (triplet #${r.id})` }
        : { kind: 'conflict', conflict: 'repeat', triplet: t, reason: `already present as triplet #${r.id}${from(r)}` };
    }
    const also = excluded ? ' and excluded' : '';
    if (r.file_path === this.path && r.line !== null && r.edited) {
      return { kind: 'conflict', conflict: 'swapped', triplet: t, reason: `you swapped it${also} (triplet #${r.id})` };
    }
    const edited = r.edited ? ', which you edited' : '';
    return { kind: 'conflict', conflict: 'contradicts', triplet: t, reason: `contradicts triplet #${r.id}${from(r)}${edited}` };
  }

  private otherSplit(): Split {
    return this.split === 'train' ? 'test' : 'train';
  }
}

function key(split: Split, a: number, p: number, n: number): string {
  return `${split}:${a}:${Math.min(p, n)}:${Math.max(p, n)}`;
}

function from(r: Row): string {
  if (r.origin === 'manual') return ' (made in the app)';
  return r.file_path && r.line !== null ? ` from ${basename(r.file_path)}:${r.line}` : '';
}

function ref(r: Row): TripletRef {
  return {
    id: r.id,
    split: r.split,
    anchor: r.anchor_name,
    positive: r.positive_name,
    negative: r.negative_name,
    status: r.status,
    file: r.file_path,
    line: r.line,
  };
}
