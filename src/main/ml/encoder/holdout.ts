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
  const none: ImageHoldout = { train: all, val: new Int32Array(0), unused: 0, heldImages: 0 };
  // No hold-out (the default): no pass over the triplets at all (0.75 s for 1,000,000), no draw from `rand`.
  if (fraction <= 0) return none;
  // Rows are small non-negative integers (packed feature rows): flags per row, memory ∝ images.
  const images = distinctRows(triplets);
  const nHeld = Math.round(images.length * fraction);
  if (nHeld === 0) return none;
  shuffleInPlace(images, rand);
  const held = new Uint8Array(maxOf(triplets) + 1);
  for (let i = 0; i < nHeld; i++) held[images[i]] = 1;
  const train = new Int32Array(count);
  const val = new Int32Array(count);
  let nTrain = 0;
  let nVal = 0;
  for (let i = 0; i < count; i++) {
    const k = held[triplets[3 * i]] + held[triplets[3 * i + 1]] + held[triplets[3 * i + 2]];
    if (k === 0) train[nTrain++] = i;
    else if (k === 3) val[nVal++] = i;
  }
  if (nTrain === 0 || nVal === 0) return none;
  return { train: train.slice(0, nTrain), val: val.slice(0, nVal), unused: count - nTrain - nVal, heldImages: nHeld };
}

function maxOf(xs: Int32Array): number {
  let max = -1;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  return max;
}

/** The distinct values of `xs` (non-negative), ascending: what [...new Set(xs)].sort() gave. */
function distinctRows(xs: Int32Array): Int32Array {
  const seen = new Uint8Array(maxOf(xs) + 1);
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (!seen[xs[i]]) (seen[xs[i]] = 1), n++;
  const out = new Int32Array(n);
  for (let r = 0, k = 0; r < seen.length; r++) if (seen[r]) out[k++] = r;
  return out;
}
