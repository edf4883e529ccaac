// The per-epoch score of the current weights: every image the triplets use is embedded once (not
// once per triplet row), then the triplets' distances are computed in JS with the same function
// that scores runs. For 1,000,000 triplets over 20,000 images that is 20,000 forward rows per epoch
// instead of 3,000,000.
import type { TrainOptions } from '../../../shared/types.js';
import { tf } from '../backend/tfjs.js';
import { distance } from './distances.js';
import type { EncoderNet } from './model.js';

/** Plain rows, then mirrored rows (the plain ones again when there are none); `rows` counts one half. */
export interface HostFeatures {
  data: Float32Array;
  dim: number;
  rows: number;
}

/** Feature rows `idx` of `host` as a tensor: copied in JS, several times faster than tf.gather on wasm. */
export function gatherFeatures(host: HostFeatures, idx: Int32Array): tf.Tensor2D {
  const { data, dim } = host;
  const out = new Float32Array(idx.length * dim);
  for (let i = 0; i < idx.length; i++) out.set(data.subarray(idx[i] * dim, (idx[i] + 1) * dim), i * dim);
  return tf.tensor2d(out, [idx.length, dim]);
}

/**
 * Embedding of an ensemble without dropout: the members' L2-normalised outputs side by side, each
 * scaled by 1/√N, so the whole is a unit vector again. Its cosine distance is the members' mean
 * cosine distance, its squared l2 distance their mean squared l2 distance: one vector per image, so
 * scoring, saving and review treat an ensemble like any encoder.
 */
export function ensembleForward(nets: EncoderNet[], x: tf.Tensor2D): tf.Tensor2D {
  if (nets.length === 1) return nets[0].forward(x, 0, null);
  const scale = 1 / Math.sqrt(nets.length);
  return tf.concat(nets.map((n) => tf.mul(n.forward(x, 0, null), scale) as tf.Tensor2D), 1);
}

const EMBED_CHUNK = 2048;

/** Embeddings of the plain rows used by `which` (others left zero), row-major, and the embedding width. */
function embedUsedRows(nets: EncoderNet[], feats: HostFeatures, triplets: Int32Array, which: Int32Array): { emb: Float32Array; width: number } {
  const used = new Uint8Array(feats.rows);
  for (const t of which) for (let k = 0; k < 3; k++) used[triplets[3 * t + k]] = 1;
  const rows = Int32Array.from(used.keys()).filter((r) => used[r]);
  let emb = new Float32Array(0);
  let width = 0;
  for (let from = 0; from < rows.length; from += EMBED_CHUNK) {
    const part = rows.subarray(from, Math.min(rows.length, from + EMBED_CHUNK));
    const e = tf.tidy(() => ensembleForward(nets, gatherFeatures(feats, part)).dataSync() as Float32Array);
    if (!width) (width = e.length / part.length), (emb = new Float32Array(feats.rows * width));
    part.forEach((r, i) => emb.set(e.subarray(i * width, (i + 1) * width), r * width));
  }
  return { emb, width };
}

/** Loss and accuracy (dAP < dAN) of the current weights (the whole ensemble) on triplets `which`, without dropout. */
export function evaluate(nets: EncoderNet[], feats: HostFeatures, triplets: Int32Array, which: Int32Array, opts: TrainOptions): { loss: number; accuracy: number } {
  const { emb, width } = embedUsedRows(nets, feats, triplets, which);
  const row = (r: number) => emb.subarray(r * width, (r + 1) * width);
  let loss = 0;
  let correct = 0;
  for (const t of which) {
    const a = row(triplets[3 * t]);
    const ap = distance(opts.distance, a, row(triplets[3 * t + 1]));
    const an = distance(opts.distance, a, row(triplets[3 * t + 2]));
    loss += Math.max(ap - an + opts.margin, 0);
    if (ap < an) correct++;
  }
  return { loss: loss / Math.max(1, which.length), accuracy: correct / Math.max(1, which.length) };
}
