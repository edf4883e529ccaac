// What the ORT engines (engine.ts: one thread; member-pool.ts + member-worker.ts: a thread per
// member) prepare around a step the same way: the batch rows, the dropout masks, and the tf nets
// brought up to the trained weights for evaluation.
import { tf } from '../../backend/tfjs.js';
import { memberStepSeed } from '../engine.js';
import type { HostFeatures } from '../evaluate.js';
import { dropoutMask, type EncoderNet, type NamedWeight } from '../model.js';

/** Copies feature rows `idx` of `feats` into `out` (row after row). */
export function gatherInto(feats: HostFeatures, idx: Int32Array, out: Float32Array): void {
  const { data, dim } = feats;
  for (let i = 0; i < idx.length; i++) out.set(data.subarray(idx[i] * dim, (idx[i] + 1) * dim), i * dim);
}

/** Member k's two masks of a step, as model.ts applyDropout draws them (salt 0 before the first layer, 1 before the second). */
export function drawMasks([m0, m1]: [Float32Array, Float32Array], rate: number, stepSeed: number, k: number): void {
  const s = memberStepSeed(stepSeed, k);
  dropoutMask(m0.length, rate, s * 2, m0);
  dropoutMask(m1.length, rate, s * 2 + 1, m1);
}

/** Sets each net's variables to its member's weights (WEIGHT_NAMES order). */
export function assignWeights(nets: EncoderNet[], weights: NamedWeight[][]): void {
  tf.tidy(() => weights.forEach((ws, k) => nets[k].variables.forEach((v, i) => v.assign(tf.tensor(ws[i].data, ws[i].shape)))));
}
