// One ensemble member's training thread (member-pool.ts): its own onnxruntime session on its own
// core. The batch rows arrive in shared memory written by the parent. The dropout masks (drawn
// exactly as the single-thread engine draws them) are either drawn here from the step seed, or —
// when a core is spare — drawn by the parent into shared memory, the next step's while this one
// runs. After a step the parent asks for, the member copies its weights into shared buffers the
// parent reads without a message. (onnxruntime-node refuses tensors over shared memory, so the
// session's own buffers are private and rows and masks are copied in: ~0.2 ms.)
// This thread imports no tfjs (weights.ts, masks.ts): onnxruntime-node copies every output of a step into new
// ArrayBuffers (4.7 MB per member), so the thread collects garbage all the time, and with tfjs loaded
// each collection marked ~45 MB more heap. On the 1,000,000-triplet run that marking took 6–12 CPU s
// per epoch on V8's helper threads, growing over the run; without tfjs, under 0.5 s.
import { parentPort } from 'node:worker_threads';
import { workerInput } from '../../../util/worker.js';
import type { NamedWeight } from '../weights.js';
import { drawMasks } from './masks.js';
import type { StepGraphSpec } from './step-graph.js';
import { OrtTrainer } from './trainer.js';

export interface MemberWorkerInput {
  spec: StepGraphSpec;
  /** This member's index in the ensemble (its mask seeds). */
  k: number;
  initial: NamedWeight[];
  /** The member's current weights (WEIGHT_NAMES order), shared memory: rewritten after every step. */
  weights: Float32Array[];
  /** Batch rows [3m, dim], written by the parent before each step (capacity: the largest batch). */
  x: Float32Array;
  /**
   * With dropout and a spare core: this member's masks in two slots (shared memory, capacity: the
   * largest batch), drawn by the parent — a step's while the previous one runs — and named by the
   * step message.
   */
  masks?: [[Float32Array, Float32Array], [Float32Array, Float32Array]];
}

/**
 * A step: its batch size, where its masks come from (the parent's slot, or drawn here from the step
 * seed), and whether to publish the weights after it.
 */
export type ToMemberWorker = { op: 'step'; m: number; masks: { slot: 0 | 1 } | { stepSeed: number }; publish: boolean } | { op: 'dispose' };
export type FromMemberWorker = { op: 'ready' } | { op: 'loss'; loss: number } | { op: 'error'; error: string } | { op: 'disposed' };

const input = workerInput<MemberWorkerInput>();
const { spec, k } = input;
const post = (m: FromMemberWorker): void => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const trainer = await OrtTrainer.create(spec, [input.initial]);
  const x = new Float32Array(input.x.length);
  let masks: [Float32Array, Float32Array] | undefined;
  let maskRows = -1;
  post({ op: 'ready' });
  parentPort!.on('message', (msg: ToMemberWorker) => {
    void (async () => {
      try {
        if (msg.op === 'dispose') {
          await trainer.dispose();
          post({ op: 'disposed' });
          return;
        }
        const rows = 3 * msg.m;
        if (spec.dropout > 0) {
          // Copied out of shared memory (onnxruntime-node refuses it): ~0.1 ms, the parent drew them.
          if (rows !== maskRows) (masks = [new Float32Array(rows * spec.dim), new Float32Array(rows * spec.hidden)]), (maskRows = rows);
          if ('slot' in msg.masks) {
            const [m0, m1] = input.masks![msg.masks.slot];
            masks![0].set(m0.subarray(0, rows * spec.dim));
            masks![1].set(m1.subarray(0, rows * spec.hidden));
          } else drawMasks(masks!, spec.dropout, msg.masks.stepSeed, k);
        }
        x.set(input.x.subarray(0, rows * spec.dim));
        const [loss] = await trainer.step({ x: x.subarray(0, rows * spec.dim), m: msg.m, masks: spec.dropout > 0 ? [masks!] : undefined });
        // Only when the parent will read them (an epoch's last step): 1.6 MB per copy, ~0.2 ms.
        if (msg.publish) trainer.weightViews()[0].forEach((w, i) => input.weights[i].set(w));
        post({ op: 'loss', loss });
      } catch (err) {
        post({ op: 'error', error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
}

main().catch((err) => post({ op: 'error', error: err instanceof Error ? err.message : String(err) }));
