// The ORT engine with one thread per ensemble member: onnxruntime-node runs a session synchronously
// on the calling thread (two sessions' runs under Promise.all do not overlap — measured), so an
// ensemble of 2 in one thread uses one core. Here each member trains in its own worker
// (member-worker.ts) on the same batch rows, written once into shared memory; each member copies its
// weights into shared buffers after a step, read here without a message. Same masks, same steps as
// the one-thread engine.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { TrainOptions } from '../../../../shared/types.js';
import { startWorker } from '../../../util/worker.js';
import type { NextStep, TrainEngine } from '../engine.js';
import type { HostFeatures } from '../evaluate.js';
import { type EncoderNet, memberWeightName, WEIGHT_NAMES } from '../model.js';
import { ortStepTiming } from './engine.js';
import type { FromMemberWorker, MemberWorkerInput, ToMemberWorker } from './member-worker.js';
import type { StepGraphSpec } from './step-graph.js';
import { drawMasks } from './masks.js';
import { assignWeights, gatherInto } from './step-inputs.js';

const WORKER_URL = new URL('./member-worker.js', import.meta.url);

/** A copy of `a` in shared memory. */
function inShared(a: Float32Array): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** A member thread: its worker and the one reply it is waiting for. */
class Member {
  private waiting: { resolve: (m: FromMemberWorker) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromMemberWorker) => {
      // A failed step leaves the member unusable: this and every later reply fail.
      if (m.op === 'error') return this.fail(new Error(`ORT member: ${m.error}`));
      const w = this.waiting;
      this.waiting = null;
      w?.resolve(m);
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`ORT member thread exited (${code})`)));
  }

  private fail(err: Error): void {
    this.failed ??= err;
    this.waiting?.reject(err);
    this.waiting = null;
  }

  /** The next reply (after sending `msg`, when given). */
  reply(msg?: ToMemberWorker): Promise<FromMemberWorker> {
    if (this.failed) return Promise.reject(this.failed);
    const p = new Promise<FromMemberWorker>((resolve, reject) => (this.waiting = { resolve, reject }));
    if (msg) this.worker.postMessage(msg);
    return p;
  }
}

/** A zeroed Float32Array of `n` values in shared memory. */
const sharedFloats = (n: number): Float32Array => new Float32Array(new SharedArrayBuffer(4 * n));

type MaskPair = [Float32Array, Float32Array];

/**
 * Each member's masks in two slots: the parent draws a step's masks into one slot while the members
 * run the previous step from the other, so drawing them (~1 ms per member per step at batch 64, the
 * biggest piece of JS in a step) overlaps the step instead of preceding it.
 */
class MaskSlots {
  readonly slots: [MaskPair, MaskPair][];
  private ready: { slot: 0 | 1; m: number; stepSeed: number } | null = null;

  constructor(
    members: number,
    private readonly spec: StepGraphSpec,
    rows: number,
  ) {
    const pair = (): MaskPair => [sharedFloats(rows * spec.dim), sharedFloats(rows * spec.hidden)];
    this.slots = Array.from({ length: members }, () => [pair(), pair()]);
  }

  /** The slot holding the masks of step (m, stepSeed): drawn ahead by `prepare`, else drawn now. */
  take(m: number, stepSeed: number): 0 | 1 {
    const r = this.ready;
    this.ready = null;
    if (r && r.m === m && r.stepSeed === stepSeed) return r.slot;
    const slot = r ? r.slot : 0;
    this.draw(slot, m, stepSeed);
    return slot;
  }

  /** Draws the masks of the next step into the slot the running step does not read. */
  prepare(running: 0 | 1, next: { m: number; stepSeed: number }): void {
    const slot = running === 0 ? 1 : 0;
    this.draw(slot, next.m, next.stepSeed);
    this.ready = { slot, m: next.m, stepSeed: next.stepSeed };
  }

  private draw(slot: 0 | 1, m: number, stepSeed: number): void {
    this.slots.forEach((pair, k) => {
      const [m0, m1] = pair[slot];
      drawMasks([m0.subarray(0, 3 * m * this.spec.dim), m1.subarray(0, 3 * m * this.spec.hidden)], this.spec.dropout, stepSeed, k);
    });
  }
}

export async function createOrtMemberPool(nets: EncoderNet[], dim: number, opts: TrainOptions, spec: StepGraphSpec): Promise<TrainEngine> {
  const x = sharedFloats(3 * opts.batchSize * dim);
  const initial = nets.map((net) => net.read());
  const shared = initial.map((ws) => ws.map((w) => inShared(w.data)));
  // The parent draws the masks only when a core is spare for it (one encoder on 2 cores); with a
  // member per core, a third busy thread would only slow the members (measured on the 1M run).
  const masks = spec.dropout > 0 && nets.length < availableParallelism() ? new MaskSlots(nets.length, spec, 3 * opts.batchSize) : null;
  const members = nets.map((_, k) => {
    const input: MemberWorkerInput = { spec, k, initial: initial[k], weights: shared[k], x, masks: masks?.slots[k] };
    return new Member(startWorker(WORKER_URL, input));
  });
  try {
    await Promise.all(members.map((mb) => mb.reply())); // 'ready': sessions created
  } catch (err) {
    await Promise.all(members.map((mb) => mb.worker.terminate()));
    throw err;
  }
  let steps = 0;
  let synced = 0;
  let published = true;
  const weightsOf = (k: number) => {
    // Never silently stale: reading after a step told of a next one would see older weights.
    if (!published) throw new Error('ORT member pool: weights read after a step that did not publish them (a step with `next`)');
    return shared[k].map((w, i) => ({ name: WEIGHT_NAMES[i], shape: initial[k][i].shape.slice(), data: new Float32Array(w) }));
  };
  return {
    name: 'onnxruntime',
    async step(feats: HostFeatures, idx: Int32Array, m: number, stepSeed: number, next?: NextStep) {
      if (idx.length * dim > x.length) throw new Error(`ORT member pool: a batch of ${m} is larger than the batch size ${opts.batchSize}`);
      const t0 = performance.now();
      gatherInto(feats, idx, x);
      const slot = masks ? masks.take(m, stepSeed) : null;
      const t1 = performance.now();
      // Weights are published after the last step before a read: fit reads them only between epochs,
      // after a step with no `next`.
      published = !next;
      const running = Promise.all(members.map((mb) => mb.reply({ op: 'step', m, masks: slot === null ? { stepSeed } : { slot }, publish: published })));
      // While the members run: the next step's masks.
      if (masks && slot !== null && next) masks.prepare(slot, next);
      const replies = await running;
      ortStepTiming.steps++;
      ortStepTiming.jsMs += t1 - t0;
      ortStepTiming.runMs += performance.now() - t1;
      steps++;
      const losses = replies.map((r) => (r.op === 'loss' ? r.loss : NaN));
      return losses.reduce((a, c) => a + c, 0) / losses.length;
    },
    read: () => nets.flatMap((_, k) => weightsOf(k).map((w) => ({ ...w, name: memberWeightName(k, w.name) }))),
    nets() {
      if (synced !== steps) {
        assignWeights(nets, nets.map((_, k) => weightsOf(k)));
        synced = steps;
      }
      return nets;
    },
    async dispose() {
      nets.forEach((n) => n.dispose());
      await Promise.all(members.map((mb) => mb.reply({ op: 'dispose' }).catch(() => undefined)));
      await Promise.all(members.map((mb) => mb.worker.terminate()));
    },
  };
}
