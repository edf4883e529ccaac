// The onnxruntime-node training engine (encoder/engine.ts): the members start from the tf nets'
// weights (the same seeded init as tfjs), train in one ORT step graph (trainer.ts) on masks drawn
// exactly as the tfjs path draws them, and are copied back into the tf nets only when evaluated.
import { availableParallelism } from 'node:os';
import type { TrainOptions } from '../../../../shared/types.js';
import type { TrainEngine } from '../engine.js';
import { type EncoderNet, memberWeightName } from '../model.js';
import { createOrtMemberPool } from './member-pool.js';
import { assignWeights, drawMasks, gatherInto } from './step-inputs.js';
import { OrtTrainer } from './trainer.js';

/** Row buffers reused across steps of the same size (a step's only allocations are its tensor wrappers). */
class StepBuffers {
  private m = -1;
  x = new Float32Array(0);
  masks: [Float32Array, Float32Array][] = [];

  constructor(
    private readonly dim: number,
    private readonly hidden: number,
    private readonly members: number,
    private readonly dropout: boolean,
  ) {}

  forRows(m: number): this {
    if (m === this.m) return this;
    this.m = m;
    this.x = new Float32Array(3 * m * this.dim);
    this.masks = this.dropout ? Array.from({ length: this.members }, () => [new Float32Array(3 * m * this.dim), new Float32Array(3 * m * this.hidden)]) : [];
    return this;
  }
}

/** Where a step's wall time goes, summed over every ORT engine of this thread (the benchmark reads and resets it). */
export const ortStepTiming = { steps: 0, jsMs: 0, runMs: 0 };

/**
 * Whether the members train in threads of their own (member-pool.ts): whenever there are 2 cores or
 * more — an ensemble's members then run at once, and even one encoder gains, as this thread draws
 * the next step's masks while the member runs the step (one encoder at batch 64: see README) —
 * unless TRIPLET_STUDIO_ORT_MEMBER_THREADS=0 (or a thread count set for the one-session engine's own
 * executor, TRIPLET_STUDIO_ORT_TRAIN_THREADS).
 */
function memberThreads(): boolean {
  if (availableParallelism() < 2) return false;
  if (process.env.TRIPLET_STUDIO_ORT_MEMBER_THREADS === '0' || process.env.TRIPLET_STUDIO_ORT_TRAIN_THREADS) return false;
  return true;
}

export async function createOrtEngine(nets: EncoderNet[], dim: number, opts: TrainOptions): Promise<TrainEngine> {
  const spec = { dim, hidden: opts.hidden, embedding: opts.embedding, distance: opts.distance, margin: opts.margin, learningRate: opts.learningRate, dropout: opts.dropout, weightDecay: opts.weightDecay ?? 0 };
  if (memberThreads()) return createOrtMemberPool(nets, dim, opts, spec);
  const trainer = await OrtTrainer.create(spec, nets.map((n) => n.read()));
  const buffers = new StepBuffers(dim, opts.hidden, nets.length, opts.dropout > 0);
  // The tf nets lag behind until evaluated: synced at most once per step count.
  let steps = 0;
  let synced = 0;
  const sync = (): void => {
    if (synced === steps) return;
    assignWeights(nets, trainer.read());
    synced = steps;
  };
  return {
    name: 'onnxruntime',
    async step(feats, idx, m, stepSeed) {
      const t0 = performance.now();
      const b = buffers.forRows(m);
      gatherInto(feats, idx, b.x);
      b.masks.forEach((pair, k) => drawMasks(pair, opts.dropout, stepSeed, k));
      const t1 = performance.now();
      const losses = await trainer.step({ x: b.x, m, masks: b.masks.length ? b.masks : undefined });
      ortStepTiming.steps++;
      ortStepTiming.jsMs += t1 - t0;
      ortStepTiming.runMs += performance.now() - t1;
      steps++;
      return losses.reduce((a, c) => a + c, 0) / losses.length;
    },
    read: () => trainer.read().flatMap((ws, k) => ws.map((w) => ({ ...w, name: memberWeightName(k, w.name) }))),
    nets() {
      sync();
      return nets;
    },
    async dispose() {
      nets.forEach((n) => n.dispose());
      await trainer.dispose();
    },
  };
}
