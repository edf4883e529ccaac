// Runs the one-step training graph (step-graph.ts) with onnxruntime-node: the weights and Adam
// moments of every member live in JS Float32Arrays, two sets used in turn (ping-pong: one set is
// the step's input, the other its pre-allocated output). onnxruntime-node's binding still returns
// each output as a fresh copy (not used here): garbage the member thread must collect (member-worker.ts).
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { type NamedWeight, WEIGHT_NAMES } from '../weights.js';
import { loadOrtForTraining, ortTrainThreads, type Ort } from './load.js';
import { ADAM, buildStepGraph, memberPrefix, PARAMS, paramShapes, STATE_NAMES, type StepGraphSpec } from './step-graph.js';

/** The inputs of one step besides the state: x [3m, dim] and per member its two masks (absent without dropout). */
export interface StepFeed {
  x: Float32Array;
  m: number;
  masks?: [Float32Array, Float32Array][];
}

const size = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/** tfjs Adam's bias-correction bookkeeping in float32 (accBeta ← accBeta·β, starting at β). */
class AdamCorrection {
  private acc1 = Math.fround(ADAM.beta1);
  private acc2 = Math.fround(ADAM.beta2);
  /** 1 − β1^t and 1 − β2^t for this step, then advances t. */
  next(): [number, number] {
    const c = [Math.fround(1 - this.acc1), Math.fround(1 - this.acc2)] as [number, number];
    this.acc1 = Math.fround(this.acc1 * Math.fround(ADAM.beta1));
    this.acc2 = Math.fround(this.acc2 * Math.fround(ADAM.beta2));
    return c;
  }
}

/**
 * Adam moments below MOMENT_FLOOR are set to zero every FLUSH_EVERY steps. Once most triplets are
 * outside the margin, whole batches give zero gradients; m·0.9 per step then sinks into float32's
 * denormal range within ~700 steps and stays there (0.9 × the smallest denormal rounds back to it),
 * and x86 arithmetic on denormals is many times slower: without this, a converging run's steps grew
 * from 5 to 18 ms. A JS pass every 100 steps costs ~1 ms; a flush inside the graph cost 1.7 ms per step.
 * 1e-30 is far below any moment that moves a float32 weight.
 */
export const MOMENT_FLOOR = 1e-30;
export const FLUSH_EVERY = 100;

/** Zeroes |x| < MOMENT_FLOOR in place. */
export function flushTiny(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0 && Math.abs(a[i]) < MOMENT_FLOOR) a[i] = 0;
}

export class OrtTrainer {
  private steps = 0;
  /** [set 0 | set 1] → member → state name → tensor over its Float32Array. */
  private sets: Record<string, Tensor>[] = [{}, {}];
  private current = 0;
  private readonly loss: Tensor[];
  private readonly adam = new AdamCorrection();
  private readonly scalars: Record<'invm' | 'c1' | 'c2', Float32Array> = { invm: new Float32Array(1), c1: new Float32Array(1), c2: new Float32Array(1) };
  private readonly scalarTensors: Record<string, Tensor>;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly spec: StepGraphSpec,
    private readonly members: number,
    initial: NamedWeight[][],
  ) {
    const shapes = paramShapes(spec);
    for (let k = 0; k < members; k++) {
      const pre = memberPrefix(k);
      for (const name of STATE_NAMES) {
        const p = name.replace(/^[mv]_/, '') as keyof typeof shapes;
        for (const set of this.sets) set[`${pre}${name}`] = new ort.Tensor('float32', new Float32Array(size(shapes[p])), shapes[p]);
      }
      PARAMS.forEach((p, i) => (this.sets[0][`${pre}${p}`].data as Float32Array).set(initial[k][i].data));
    }
    this.loss = Array.from({ length: members }, () => new ort.Tensor('float32', new Float32Array(1), []));
    this.scalarTensors = Object.fromEntries(Object.entries(this.scalars).map(([n, a]) => [n, new ort.Tensor('float32', a, [])]));
  }

  /** A trainer for `initial` (per member its 4 weights, WEIGHT_NAMES order); Adam moments start at 0. */
  static async create(spec: StepGraphSpec, initial: NamedWeight[][]): Promise<OrtTrainer> {
    const ort = await loadOrtForTraining();
    const threads = ortTrainThreads();
    // Members are independent chains of the one graph: the parallel executor runs them at once when
    // there are threads for it (inter-op), each matmul on its own thread (intra-op 1, measured best).
    const parallel = initial.length > 1 && threads > 1;
    const session = await ort.InferenceSession.create(buildStepGraph(spec, initial.length), {
      intraOpNumThreads: parallel ? 1 : threads,
      interOpNumThreads: parallel ? Math.min(threads, initial.length) : 1,
      executionMode: parallel ? 'parallel' : 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OrtTrainer(ort, session, spec, initial.length, initial);
  }

  /** One Adam step of every member on the batch; returns each member's loss. */
  async step(feed: StepFeed): Promise<number[]> {
    const rows = 3 * feed.m;
    if (feed.x.length !== rows * this.spec.dim) throw new Error(`OrtTrainer.step: x has ${feed.x.length} values, expected ${rows}×${this.spec.dim}`);
    const [c1, c2] = this.adam.next();
    this.scalars.invm[0] = 1 / feed.m;
    this.scalars.c1[0] = c1;
    this.scalars.c2[0] = c2;
    const from = this.sets[this.current];
    const to = this.sets[1 - this.current];
    const feeds: Record<string, Tensor> = { ...from, ...this.scalarTensors, x: new this.ort.Tensor('float32', feed.x, [rows, this.spec.dim]) };
    const fetches: Record<string, Tensor> = {};
    for (let k = 0; k < this.members; k++) {
      const pre = memberPrefix(k);
      if (this.spec.dropout > 0) {
        const mk = feed.masks?.[k];
        if (!mk) throw new Error('OrtTrainer.step: dropout masks missing');
        feeds[`${pre}mask0`] = new this.ort.Tensor('float32', mk[0], [rows, this.spec.dim]);
        feeds[`${pre}mask1`] = new this.ort.Tensor('float32', mk[1], [rows, this.spec.hidden]);
      }
      for (const name of STATE_NAMES) fetches[`${pre}new_${name}`] = to[`${pre}${name}`];
      fetches[`${pre}loss`] = this.loss[k];
    }
    await this.session.run(feeds, fetches);
    this.current = 1 - this.current;
    if (++this.steps % FLUSH_EVERY === 0) this.flushMoments();
    return this.loss.map((t) => (t.data as Float32Array)[0]);
  }

  /** Flushes the current moments (the next step's input) below MOMENT_FLOOR to zero. */
  private flushMoments(): void {
    const set = this.sets[this.current];
    for (let k = 0; k < this.members; k++)
      for (const name of STATE_NAMES) if (/^[mv]_/.test(name)) flushTiny(set[`${memberPrefix(k)}${name}`].data as Float32Array);
  }

  /** Views (no copy) of each member's current weights, in WEIGHT_NAMES order: valid until the next step. */
  weightViews(): Float32Array[][] {
    const set = this.sets[this.current];
    return Array.from({ length: this.members }, (_, k) => PARAMS.map((p) => set[`${memberPrefix(k)}${p}`].data as Float32Array));
  }

  /** Copies of each member's current weights, in WEIGHT_NAMES order. */
  read(): NamedWeight[][] {
    const set = this.sets[this.current];
    return Array.from({ length: this.members }, (_, k) =>
      PARAMS.map((p, i) => {
        const t = set[`${memberPrefix(k)}${p}`];
        return { name: WEIGHT_NAMES[i], shape: t.dims.slice(), data: new Float32Array(t.data as Float32Array) };
      }),
    );
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
