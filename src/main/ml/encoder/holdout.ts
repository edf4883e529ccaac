// Image-disjoint validation: whole images are held out, so validation measures what the encoder
// does on photos it never saw (a random triplet slice shares its images with the training triplets
// and reaches 1.0 within a few epochs, which says nothing about new photos).
import { shuffleInPlace } from './rng.js';

export interface ImageHoldout {
  /** Triplets with no held-out image (trained on). */
  train: Int32Array;
  /** Triplets whose three images are all held out (validation). */
  val: Int32Array;
  /** Triplets that mix held-out and training images: used by neither side. */
  unused: number;
  /** Distinct images held out. */
  heldImages: number;
}

/**
 * Holds out round(fraction × images) images, chosen at random, and splits the triplets (row indices,
 * [a0, p0, n0, …]) into train (no held-out image) and val (all three held out); no image of a
 * validation triplet appears in a training triplet. With a fraction f of images held out, about
 * f³ of the triplets validate and (1 − f)³ train (measured on the shared sets: see ../defaults.ts).
 * Returns everything as train when fraction is 0 or the hold-out would leave nothing to train on.
 */
export function splitByImages(triplets: Int32Array, fraction: number, rand: () => number): ImageHoldout {
  const count = triplets.length / 3;
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const images = [...new Set(triplets)].sort((a, b) => a - b);
  const nHeld = Math.round(images.length * fraction);
  const none: ImageHoldout = { train: all, val: new Int32Array(0), unused: 0, heldImages: 0 };
  if (fraction <= 0 || nHeld === 0) return none;
  shuffleInPlace(images, rand);
  const held = new Set(images.slice(0, nHeld));
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = Number(held.has(triplets[3 * i])) + Number(held.has(triplets[3 * i + 1])) + Number(held.has(triplets[3 * i + 2]));
    if (k === 0) train.push(i);
    else if (k === 3) val.push(i);
  }
  if (train.length === 0 || val.length === 0) return none;
  return { train: Int32Array.from(train), val: Int32Array.from(val), unused: count - train.length - val.length, heldImages: nHeld };
}
