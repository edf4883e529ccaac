// The encoder run once per distinct image of a batch. A batch of m triplets has 3m rows but, when
// the triplets share images (1,024 triplets over 300 images), far fewer distinct images U: both
// dense layers and their weight gradients then run on U rows instead of 3m, and only the small
// embeddings are gathered back to the triplet rows (gradient: a segment sum). Equivalent to the
// per-row path except that an image's dropout masks are shared by all its rows in the step
// (test/main/ml/encoder/unique.test.ts checks outputs and gradients without dropout).
import { tf } from '../backend/tfjs.js';

/** A batch as its distinct feature rows and, for each of its 3m rows, the index of its distinct row. */
export interface UniqueRows {
  /** Distinct feature-row indices (into the feature tensor), in first-seen order. */
  rows: Int32Array;
  /** For each batch row (all A, then all P, then all N), its position in `rows`. */
  of: Int32Array;
}

/** Distinct rows of a batch of row indices (`idx` as gathered: A…, P…, N…). */
export function uniqueRows(idx: Int32Array): UniqueRows {
  const pos = new Map<number, number>();
  const of = new Int32Array(idx.length);
  const rows: number[] = [];
  for (let i = 0; i < idx.length; i++) {
    let p = pos.get(idx[i]);
    if (p === undefined) {
      p = rows.length;
      pos.set(idx[i], p);
      rows.push(idx[i]);
    }
    of[i] = p;
  }
  return { rows: Int32Array.from(rows), of };
}

/**
 * Use the unique path for batches of at least UNIQUE_MIN_BATCH triplets whose rows hold at most
 * half as many distinct images. Smaller batches keep the per-row path, so runs at the default batch
 * of 64 (the measured defaults, the shared 1,200-triplet sets and their CV folds) train exactly as
 * before; below half, the extra gather and segment sum cost about what they save.
 */
export const UNIQUE_MIN_BATCH = 128;
export const UNIQUE_MAX_RATIO = 1 / 2;

export const uniqueWorthIt = (u: UniqueRows): boolean => u.of.length >= 3 * UNIQUE_MIN_BATCH && u.rows.length <= UNIQUE_MAX_RATIO * u.of.length;

/**
 * Rows of `h` (U × k) gathered to the batch rows (3m × k). Its gradient sums the rows' gradients per
 * distinct row with sparseSegmentSum (tf.gather's own gradient needs UnsortedSegmentSum, which the
 * wasm backend lacks): the batch rows sorted by distinct row are the segments.
 */
export function gatherRows(h: tf.Tensor2D, of: Int32Array): tf.Tensor2D {
  const order = Int32Array.from(of.keys()).sort((a, b) => of[a] - of[b] || a - b);
  const segments = Int32Array.from(order, (i) => of[i]);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor2D;
    const value = tf.gather(x, tf.tensor1d(of, 'int32')) as tf.Tensor2D;
    const gradFunc = (dy: tf.Tensor2D): tf.Tensor[] => [tf.sparse.sparseSegmentSum(dy, tf.tensor1d(order, 'int32'), tf.tensor1d(segments, 'int32'))];
    return { value, gradFunc };
  });
  return op(h) as tf.Tensor2D;
}
