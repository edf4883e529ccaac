// Replacing one image of a triplet (anchor, positive or negative) by another: the edited row, after
// the checks a new triplet meets (three different images, then label-checks.ts).
import { AppError } from '../../shared/errors.js';
import type { TripletEdit, TripletRole } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageNameReader } from '../store/images.js';
import { encodeName } from './escape.js';
import { checkNewLabel } from './label-checks.js';
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
  // An excluded triplet is neither trained on nor scored: leakage is checked when it is taken back in (checkInclude).
  checkNewLabel(db, s.id, s.split, a, p, n, edit.allowLeakage === true || s.status === 'excluded');
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
