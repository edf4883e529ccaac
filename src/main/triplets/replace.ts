// Replacing one image of a triplet (anchor, positive or negative) by another: the edited row, after
// the same checks a new triplet meets — three different images, no duplicate in the split, no
// contradiction (same anchor with positive and negative the other way round), and no leakage across
// the train/test split (the same triplet in the other split, or all three images used there).
import { AppError } from '../../shared/errors.js';
import type { Split, TripletEdit, TripletRole } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageNameReader } from '../store/images.js';
import { activeImageTriples, priorMatchesReader } from '../store/triplet-reads.js';
import { encodeName } from './escape.js';
import type { TripletSnapshot } from './rows.js';

type Replace = Extract<TripletEdit, { kind: 'replace' }>;

const ID_KEY = { anchor: 'anchorId', positive: 'positiveId', negative: 'negativeId' } as const;

/** The row after the replacement; throws BAD_ARGUMENTS, NOT_FOUND or CONFLICT (naming the other triplet). */
export function replacedSnapshot(db: Db, s: TripletSnapshot, edit: Replace): TripletSnapshot {
  const name = imageNameReader(db)(edit.imageId);
  if (name === undefined) throw new AppError('NOT_FOUND', `Image ${edit.imageId} not found.`);
  const next: TripletSnapshot = { ...s, [ID_KEY[edit.role]]: edit.imageId, [edit.role]: writtenName(s, name), edited: true };
  if (next.anchorId === s.anchorId && next.positiveId === s.positiveId && next.negativeId === s.negativeId) return s;
  // A review decision was about the old images; it does not carry over.
  Object.assign(next, { review: null, kept: false });
  const { anchorId: a, positiveId: p, negativeId: n } = next;
  if (a === p || a === n || p === n) throw new AppError('BAD_ARGUMENTS', `A triplet needs three different images: ${name} is already its ${roleOf(s, edit.imageId)}.`);
  checkAgainstStore(db, s.id, s.split, a, p, n, edit.allowLeakage === true);
  return next;
}

/**
 * The name as the triplet holds it: an imported triplet keeps its names as written in its file, which
 * export writes back unchanged, so a name put into one must be in the file's escaped form (`my rose.jpg`
 * written plain would split into four fields; `x%41.jpg` would read back as `xA.jpg`).
 */
function writtenName(s: TripletSnapshot, name: string): string {
  return s.origin === 'imported' ? encodeName(name) : name;
}

function roleOf(s: TripletSnapshot, id: number): TripletRole {
  return s.anchorId === id ? 'anchor' : s.positiveId === id ? 'positive' : 'negative';
}

function checkAgainstStore(db: Db, self: number, split: Split, a: number, p: number, n: number, allowLeakage: boolean): void {
  const others = priorMatchesReader(db)(a, p, n, Number.MAX_SAFE_INTEGER).filter((r) => r.id !== self);
  const same = others.find((r) => r.split === split && r.positive_id === p);
  if (same) throw new AppError('CONFLICT', `That triplet already exists in the ${split} split (triplet ${same.id}).`);
  const contra = others.find((r) => r.split === split);
  if (contra) throw new AppError('CONFLICT', `It would contradict triplet ${contra.id} (same anchor, positive and negative the other way round).`);
  if (allowLeakage) return;
  const leak = others[0];
  // details.leak: the caller may ask again with allowLeakage (the app's "Replace anyway", the CLI's --allow-leakage).
  if (leak) throw new AppError('CONFLICT', `It would leak across the split: the same triplet is ${leak.split} triplet ${leak.id}.`, { leak: true });
  if (allImagesUsedBy(db, otherSplit(split), [a, p, n])) {
    throw new AppError('CONFLICT', `It would leak across the split: all three images are used by ${otherSplit(split)} triplets.`, { leak: true });
  }
}

const otherSplit = (s: Split): Split => (s === 'train' ? 'test' : 'train');

function allImagesUsedBy(db: Db, split: Split, ids: number[]): boolean {
  const left = new Set(ids);
  for (const t of activeImageTriples(db, split)) {
    for (const id of t) left.delete(id);
    if (left.size === 0) return true;
  }
  return false;
}
