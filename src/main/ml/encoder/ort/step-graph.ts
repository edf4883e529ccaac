// ONE optimisation step of one encoder as an ONNX graph, matching model.ts + fit.ts (the tfjs fast
// path) op for op:
//   x·mask0 → Dense(hidden) → relu → ·mask1 → Dense(embedding) → x/√(Σx²+1e-12)
//   → dAP, dAN (distance-graph.ts) → mean(max(dAP − dAN + margin, 0)) (+ wd·(Σw1² + Σw2²))
//   → hand-derived backward → Adam (tf.train.adam: β1 0.9, β2 0.999, ε 1e-7).
// Inputs: x [3m, D] (all anchors, then positives, then negatives), the dropout masks (already
// scaled by 1/(1−rate), as model.ts dropoutMask), invm = 1/m, the Adam bias corrections
// c1 = 1−β1^t, c2 = 1−β2^t, and the weights with their Adam moments. Outputs: the new weights and
// moments (same names with a `new_` prefix) and the loss; per ensemble member under its prefix
// (memberPrefix: "k0/w1" → "k0/new_w1", "k0/loss"), x and the scalars shared.
import type { Distance } from '../../../../shared/types.js';
import { pairDistance } from './distance-graph.js';
import { OpGraph } from './graph.js';

export interface StepGraphSpec {
  dim: number;
  hidden: number;
  embedding: number;
  distance: Distance;
  margin: number;
  learningRate: number;
  /** > 0: the masks are inputs; 0: no dropout nodes at all. */
  dropout: number;
  weightDecay: number;
}

/** tfjs's Adam constants (optimizer_constructors.js adam() defaults; ε = backend epsilon for float32). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

export const PARAMS = ['w1', 'b1', 'w2', 'b2'] as const;
export type ParamName = (typeof PARAMS)[number];
/** Weights, first moments, second moments: the step's state, in this order. */
export const STATE_NAMES: string[] = [...PARAMS, ...PARAMS.map((p) => `m_${p}`), ...PARAMS.map((p) => `v_${p}`)];

export function paramShapes(s: Pick<StepGraphSpec, 'dim' | 'hidden' | 'embedding'>): Record<ParamName, number[]> {
  return { w1: [s.dim, s.hidden], b1: [s.hidden], w2: [s.hidden, s.embedding], b2: [s.embedding] };
}

interface Forward {
  x0: string;
  z1: string;
  h1: string;
  e: string;
  r: string;
}

/** Dropout → Dense → relu → dropout → Dense → row L2 normalisation. */
function forward(g: OpGraph, s: StepGraphSpec, x: string, k: string): Forward {
  const x0 = s.dropout > 0 ? g.mul(x, g.input(`${k}mask0`, ['rows', s.dim])) : x;
  const z1 = g.op('Gemm', [x0, `${k}w1`, `${k}b1`]);
  const h = g.op('Relu', [z1]);
  const h1 = s.dropout > 0 ? g.mul(h, g.input(`${k}mask1`, ['rows', s.hidden])) : h;
  const z2 = g.op('Gemm', [h1, `${k}w2`, `${k}b2`]);
  const r = g.sqrt(g.add(g.sum(g.mul(z2, z2), [1]), g.scalar(1e-12)));
  return { x0, z1, h1, e: g.div(z2, r), r };
}

/** The triplet loss of the unit rows e and its gradient with respect to e. */
function tripletLossAndGrad(g: OpGraph, s: StepGraphSpec, e: string, invm: string): { loss: string; de: string } {
  // [3m, E] → [3, m, E]: anchors, positives, negatives (the batch layout of fit.ts batchRows).
  const abc = g.op('Reshape', [e, g.ints([3, -1, s.embedding])]);
  const [a, p, n] = [0, 1, 2].map((i) => g.op('Gather', [abc, g.int(i)], { axis: 0 }));
  const ap = pairDistance(g, s.distance, a, p);
  const an = pairDistance(g, s.distance, a, n);
  const hinge = g.add(g.sub(ap.d, an.d), g.scalar(s.margin));
  const loss = g.op('ReduceMean', [g.op('Relu', [hinge])], { keepdims: 0 });
  // d mean(relu(h)) / dh = [h > 0] / m (tf's relu gradient is 0 at 0).
  const c = g.mul(g.greater(hinge, g.scalar(0)), invm);
  const [daP, dp] = ap.grad(c);
  const [daN, dn] = an.grad(g.neg(c));
  const de = g.op('Concat', [g.add(daP, daN), dp, dn], { axis: 0 });
  return { loss, de };
}

/** Gradients of the four weights from the gradient of the unit rows. */
function backward(g: OpGraph, s: StepGraphSpec, f: Forward, de: string, k: string): Record<ParamName, string> {
  // e = z/r: dz = (de − e·Σ(de∘e)) / r.
  const dz2 = g.div(g.sub(de, g.mul(f.e, g.sum(g.mul(de, f.e), [1]))), f.r);
  const dh1 = g.op('Gemm', [dz2, `${k}w2`], { transB: 1 });
  const dh = s.dropout > 0 ? g.mul(dh1, `${k}mask1`) : dh1;
  const dz1 = g.mul(dh, g.greater(f.z1, g.scalar(0)));
  const grads = {
    w1: g.op('Gemm', [f.x0, dz1], { transA: 1 }),
    b1: g.sum(dz1, [0], 0),
    w2: g.op('Gemm', [f.h1, dz2], { transA: 1 }),
    b2: g.sum(dz2, [0], 0),
  };
  if (s.weightDecay > 0) {
    // d wd·Σw² / dw = 2·wd·w, on the two kernels only.
    const twice = g.scalar(2 * s.weightDecay);
    grads.w1 = g.add(grads.w1, g.mul(`${k}w1`, twice));
    grads.w2 = g.add(grads.w2, g.mul(`${k}w2`, twice));
  }
  return grads;
}

/** weightDecay · (Σw1² + Σw2²). */
function penalty(g: OpGraph, wd: number, k: string): string {
  const sq = (w: string) => g.op('ReduceSum', [g.mul(w, w)], { keepdims: 0 });
  return g.mul(g.scalar(wd), g.add(sq(`${k}w1`), sq(`${k}w2`)));
}

/** tfjs AdamOptimizer.applyGradients, in its float32 op order. */
function adamUpdate(g: OpGraph, s: StepGraphSpec, p: ParamName, grad: string, c1: string, c2: string, k: string): void {
  const m = g.add(g.mul(`${k}m_${p}`, g.scalar(ADAM.beta1)), g.mul(grad, g.scalar(1 - ADAM.beta1)));
  const v = g.add(g.mul(`${k}v_${p}`, g.scalar(ADAM.beta2)), g.mul(g.mul(grad, grad), g.scalar(1 - ADAM.beta2)));
  const step = g.div(g.div(m, c1), g.add(g.sqrt(g.div(v, c2)), g.scalar(ADAM.epsilon)));
  const w = g.add(g.mul(step, g.scalar(-s.learningRate)), `${k}${p}`);
  const dims = paramShapes(s)[p];
  g.output(`${k}new_${p}`, w, dims);
  g.output(`${k}new_m_${p}`, m, dims);
  g.output(`${k}new_v_${p}`, v, dims);
}

/** Name prefix of ensemble member k's inputs and outputs ("k0/w1", "k1/new_m_w1", "k0/loss"…). */
export const memberPrefix = (k: number): string => `k${k}/`;

/**
 * The encoded ONNX model of one training step for `s`, for `members` encoders side by side on the
 * same batch x (an ensemble: independent chains, which a parallel session can run at once).
 */
export function buildStepGraph(s: StepGraphSpec, members = 1): Uint8Array {
  const g = new OpGraph();
  const shapes = paramShapes(s);
  const x = g.input('x', ['rows', s.dim]);
  const invm = g.input('invm', []);
  const c1 = g.input('c1', []);
  const c2 = g.input('c2', []);
  for (let i = 0; i < members; i++) {
    const k = memberPrefix(i);
    for (const name of STATE_NAMES) g.input(`${k}${name}`, shapes[name.replace(/^[mv]_/, '') as ParamName]);
    const f = forward(g, s, x, k);
    const { loss, de } = tripletLossAndGrad(g, s, f.e, invm);
    const grads = backward(g, s, f, de, k);
    for (const p of PARAMS) adamUpdate(g, s, p, grads[p], c1, c2, k);
    g.output(`${k}loss`, s.weightDecay > 0 ? g.add(loss, penalty(g, s.weightDecay, k)) : loss, []);
  }
  return g.encode('encoder_train_step');
}
