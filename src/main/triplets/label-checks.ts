// The checks every new label meets before it is stored: a triplet made in the app or with `add`, one
// moved to the other split, one with an image replaced. The same rules as a triplet file's lines:
// no duplicate in the split, no contradiction (same anchor with positive and negative the other way
// round), and no leakage across the train/test split (the same triplet in the other split, or all
// three images used there) unless the user asks for it.
import { AppError } from '../../shared/errors.js';
import type { Split } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { activeImagesIn, activeTripletsUsing, imageUsedInSplitReader, priorMatchesReader, type PriorRow } from '../store/triplet-reads.js';

/** Throws CONFLICT (naming the other triplet; details.leak when only leakage stops it) unless (a, p, n) may be stored in `split`. `self`: the triplet being edited (0 for a new one). */
export function checkNewLabel(db: Db, self: number, split: Split, a: number, p: number, n: number, allowLeakage: boolean): void {
  const others = priorMatchesReader(db)(a, p, n, Number.MAX_SAFE_INTEGER).filter((r) => r.id !== self);
  const same = others.find((r) => r.split === split && r.positive_id === p);
  if (same) throw new AppError('CONFLICT', `That triplet already exists in the ${split} split (triplet ${same.id}).`);
  const contra = others.find((r) => r.split === split);
  if (contra) throw new AppError('CONFLICT', `It would contradict triplet ${contra.id} (same anchor, positive and negative the other way round).`);
  if (!allowLeakage) checkLeak(db, self, split, [a, p, n], others);
}

/**
 * Throws CONFLICT (details.leak) when triplet `self`, active in `split`, would leak: the same triplet in
 * the other split, or all three images used by active triplets there. `others`: its prior matches.
 */
function checkLeak(db: Db, self: number, split: Split, images: number[], others: PriorRow[]): void {
  const leak = others.find((r) => r.split !== split);
  // details.leak: the caller may ask again with allowLeakage (the app's "… anyway", the CLI's --allow-leakage).
  if (leak) throw new AppError('CONFLICT', `It would leak across the split: the same triplet is ${leak.split} triplet ${leak.id}.`, { leak: true });
  const other = split === 'train' ? 'test' : 'train';
  const used = imageUsedInSplitReader(db);
  if (images.every((id) => used(other, id, self))) {
    throw new AppError('CONFLICT', `It would leak across the split: all three images are used by ${other} triplets.`, { leak: true });
  }
  // The same rule seen from the other split: a triplet there whose last image not yet used in
  // `split` is one of these would have all three used here.
  // Before: what `split` uses now, with this triplet's own images when it is already there (a
  // replacement keeps its other two); after: with these images instead.
  const mine = activeImagesIn(db, self, split);
  const seen = new Map<number, boolean>(); // one lookup per image, however many triplets share it
  const usedElse = (id: number) => seen.get(id) ?? (seen.set(id, used(split, id, self)), seen.get(id)!);
  const usedBefore = (id: number) => mine.includes(id) || usedElse(id);
  const usedHere = (id: number) => images.includes(id) || usedElse(id);
  for (const [id, ...its] of activeTripletsUsing(db, other, images)) {
    if (id === self || its.every(usedBefore)) continue; // leaked before: not this label's doing
    if (its.every(usedHere)) {
      throw new AppError('CONFLICT', `It would make ${other} triplet ${id} leak across the split: with it, all three of that triplet's images are used by ${split} triplets.`, { leak: true });
    }
  }
}

/**
 * Taking an excluded triplet back in: refused when it would leak, as a new label would (the images it
 * shares with the other split may have come in while it was out), unless allowLeakage. A twin in its
 * own split is no reason: the checks counted it while excluded.
 */
export function checkInclude(db: Db, self: number, split: Split, a: number, p: number, n: number, allowLeakage: boolean): void {
  if (allowLeakage) return;
  checkLeak(db, self, split, [a, p, n], priorMatchesReader(db)(a, p, n, Number.MAX_SAFE_INTEGER).filter((r) => r.id !== self));
}

/**
 * Throws CONFLICT when swapping triplet `self` (a, p, n) would make it the same as another triplet of
 * its split (one that contradicts it now): the fix is to delete or exclude the wrong one of the two.
 * A swap of one of two copies (a line repeated in its file) goes through and leaves a contradiction,
 * which the audit lists; swapping the other copy after it is then refused like any duplicate.
 * Leakage cannot change, as the same three images stay in the same split.
 */
export function checkSwap(db: Db, self: number, split: Split, a: number, p: number, n: number): void {
  const twin = priorMatchesReader(db)(a, p, n, Number.MAX_SAFE_INTEGER).find((r) => r.id !== self && r.split === split && r.positive_id === n);
  if (twin) throw new AppError('CONFLICT', `Swapping it would make it the same as ${split} triplet ${twin.id}, which has these labels the other way round; delete or exclude the wrong one of the two instead.`);
}
