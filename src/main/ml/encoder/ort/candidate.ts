// onnxruntime-node as a training candidate for the measured choice (ml/backend/train-choice.ts):
// its workload is one training step of the default encoder (768 → 512 → 10) on 64 triplets
// (192 rows, dropout 0.3): the tfjs candidates' forward + backward pass on 192 rows, plus the Adam
// update ORT does in the same graph (so ORT is timed on slightly more work, never less).
import type { Candidate } from '../../backend/choose.js';
import { dropoutMask, heUniform, type NamedWeight, WEIGHT_NAMES } from '../model.js';
import { seededRandom } from '../rng.js';
import { loadOrtForTraining } from './load.js';
import { OrtTrainer } from './trainer.js';

export const ORT_TRAIN = 'onnxruntime';

const SHAPE = { dim: 768, hidden: 512, embedding: 10 };
const M = 64;

function workload(): { weights: NamedWeight[]; x: Float32Array; masks: [Float32Array, Float32Array] } {
  const rand = seededRandom(1);
  const { dim, hidden, embedding } = SHAPE;
  const weights = [heUniform(dim, hidden, rand), new Float32Array(hidden), heUniform(hidden, embedding, rand), new Float32Array(embedding)].map((data, i) => ({
    name: WEIGHT_NAMES[i],
    shape: i === 0 ? [dim, hidden] : i === 1 ? [hidden] : i === 2 ? [hidden, embedding] : [embedding],
    data,
  }));
  const x = Float32Array.from({ length: 3 * M * dim }, () => rand());
  return { weights, x, masks: [new Float32Array(3 * M * dim), new Float32Array(3 * M * hidden)] };
}

/** The candidate, or why it cannot run (onnxruntime-node missing or failing to load). */
export async function ortTrainCandidate(load: () => Promise<unknown> = loadOrtForTraining): Promise<Candidate> {
  const missing = await load().then(
    () => undefined,
    (err: Error) => err.message,
  );
  let trainer: Promise<OrtTrainer> | null = null;
  const w = missing ? null : workload();
  let step = 0;
  return {
    name: ORT_TRAIN,
    unavailable: missing,
    // The session is built by the first (warm-up) run and reused: what training does too.
    run: async () => {
      trainer ??= OrtTrainer.create({ ...SHAPE, distance: 'l2', margin: 0.5, learningRate: 1e-3, dropout: 0.3, weightDecay: 0 }, [w!.weights]);
      const t = await trainer;
      step++;
      dropoutMask(w!.masks[0].length, 0.3, step * 2, w!.masks[0]);
      dropoutMask(w!.masks[1].length, 0.3, step * 2 + 1, w!.masks[1]);
      await t.step({ x: w!.x, m: M, masks: [w!.masks] });
    },
  };
}
