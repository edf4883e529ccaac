// A member's dropout masks for a step, drawn as model.ts draws them. No tfjs in this file's imports:
// the member threads (member-worker.ts) use it and keep a small heap (see ../weights.ts).
import { dropoutMask } from '../dropout-mask.js';
import { memberStepSeed } from '../engine.js';

/** Member k's two masks of a step, as model.ts applyDropout draws them (salt 0 before the first layer, 1 before the second). */
export function drawMasks([m0, m1]: [Float32Array, Float32Array], rate: number, stepSeed: number, k: number): void {
  const s = memberStepSeed(stepSeed, k);
  dropoutMask(m0.length, rate, s * 2, m0);
  dropoutMask(m1.length, rate, s * 2 + 1, m1);
}
