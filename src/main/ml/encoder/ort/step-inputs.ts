// What the ORT engines (engine.ts: one thread; member-pool.ts + member-worker.ts: a thread per
// member) prepare around a step the same way: the batch rows, the dropout masks, and the tf nets
// brought up to the trained weights for evaluation.
import { tf } from '../../backend/tfjs.js';
import type { HostFeatures } from '../evaluate.js';
import type { EncoderNet, NamedWeight } from '../model.js';

export { drawMasks } from './masks.js';

/** Copies feature rows `idx` of `feats` into `out` (row after row). */
export function gatherInto(feats: HostFeatures, idx: Int32Array, out: Float32Array): void {
  const { data, dim } = feats;
  for (let i = 0; i < idx.length; i++) out.set(data.subarray(idx[i] * dim, (idx[i] + 1) * dim), i * dim);
}

/** Sets each net's variables to its member's weights (WEIGHT_NAMES order). */
export function assignWeights(nets: EncoderNet[], weights: NamedWeight[][]): void {
  tf.tidy(() => weights.forEach((ws, k) => nets[k].variables.forEach((v, i) => v.assign(tf.tensor(ws[i].data, ws[i].shape)))));
}
