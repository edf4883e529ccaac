// Synthetic features with class structure for the training-at-scale bench. Each image belongs to one
// of `classes` classes and one of 40 "backgrounds"; its 768-d feature is relu(class centre +
// 1.5 × background centre + noise): the raw features confuse images that share a background, and
// an encoder must learn to ignore the background (raw-feature triplet accuracy ≈ 0.7, trained ≈ 0.9+).
// Triplets: a, p from one class, n from another (a simulated labeller); test triplets use only
// held-out images, so accuracy measures new images.
import { seededRandom } from '../src/main/ml/encoder/rng.js';

export interface ScaleSet {
  dim: number;
  /** (trainImages + testImages) × dim. */
  features: Float32Array;
  train: Int32Array;
  test: Int32Array;
  trainImages: number;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Triplets over images [from, to): a and p of one class, n of another. */
function tripletsOver(count: number, from: number, to: number, classOf: Int32Array, rand: () => number): Int32Array {
  const out = new Int32Array(count * 3);
  const pick = () => from + Math.floor(rand() * (to - from));
  for (let t = 0; t < count; ) {
    const a = pick();
    const p = pick();
    const n = pick();
    if (a === p || classOf[a] !== classOf[p] || classOf[a] === classOf[n]) continue;
    out.set([a, p, n], 3 * t++);
  }
  return out;
}

export function makeScaleSet(opts: { trainImages: number; testImages: number; trainTriplets: number; testTriplets: number; classes: number; seed: number; dim?: number; classScale?: number; noise?: number }): ScaleSet {
  const dim = opts.dim ?? 768;
  const rand = seededRandom(opts.seed);
  const centres = (k: number, scale: number) => Float32Array.from({ length: k * dim }, () => gaussian(rand) * scale);
  const cls = centres(opts.classes, opts.classScale ?? 0.35);
  const bg = centres(40, 1.5);
  const images = opts.trainImages + opts.testImages;
  const classOf = Int32Array.from({ length: images }, () => Math.floor(rand() * opts.classes));
  const features = new Float32Array(images * dim);
  for (let i = 0; i < images; i++) {
    const c = classOf[i] * dim;
    const b = Math.floor(rand() * 40) * dim;
    for (let d = 0; d < dim; d++) features[i * dim + d] = Math.max(0, cls[c + d] + bg[b + d] + gaussian(rand) * (opts.noise ?? 0.5));
  }
  return {
    dim,
    features,
    train: tripletsOver(opts.trainTriplets, 0, opts.trainImages, classOf, rand),
    test: tripletsOver(opts.testTriplets, opts.trainImages, images, classOf, rand),
    trainImages: opts.trainImages,
  };
}
