// The research encoder shared by anchor, positive and negative:
//   dropout → Dense(hidden, he_uniform, relu) → dropout → Dense(embedding, he_uniform) → L2 normalise.
// Training uses a dense layer written with tf.customGrad and explicit transposes: tfjs-wasm's
// matMul with transposeA/transposeB (what tf.layers.dense's gradient uses) is ~7–13× slower than
// transposing first. Inference (embedFeatures) is plain JS: no backend needed, fast enough for n≈300.
import type { Distance, TrainOptions } from '../../../shared/types.js';
import { currentBackend, tf } from '../backend/tfjs.js';
import { seededRandom } from './rng.js';
import { gatherRows } from './unique.js';
import { dropoutMask } from './dropout-mask.js';
import { type EncoderWeights, type NamedWeight, WEIGHT_NAMES } from './weights.js';

export { dropoutMask } from './dropout-mask.js';
export { memberWeightName, type EncoderWeights, type NamedWeight, WEIGHT_NAMES } from './weights.js';

// ---------- tf building blocks ----------

/**
 * y = x·W + b with a hand-written gradient that avoids transposed matMul. The input gradient is
 * only computed when asked for: the first layer's input is the (constant) features, and computing
 * dx there would cost as much as dW.
 */
function makeDense(inputGrad: boolean) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([x, w]);
    const value = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
    const gradFunc = (dy: tf.Tensor2D, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = inputGrad ? tf.matMul(dy, tf.transpose(sw)) : tf.zerosLike(sx);
      return [dx, tf.matMul(tf.transpose(sx), dy), tf.sum(dy, 0)];
    };
    return { value, gradFunc };
  });
}
// Made at first use, not at import: building them loads tfjs, which most processes never need.
let denseWithInputGrad: ReturnType<typeof makeDense> | null = null;
let denseNoInputGrad: ReturnType<typeof makeDense> | null = null;

/** Dense layer for training; pass inputGrad=false when x needs no gradient (the features). */
export function denseFast(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, inputGrad = true): tf.Tensor2D {
  if (inputGrad) return (denseWithInputGrad ??= makeDense(true))(x, w, b);
  return (denseNoInputGrad ??= makeDense(false))(x, w, b);
}

/** Row-wise L2 normalisation (epsilon keeps the gradient finite at 0). */
export function l2normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}

/** Row-wise distances between two [n, d] tensors, matching distances.ts (cosine on unit rows = 1 − a·b). */
export function tfDistance(kind: Distance, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  if (kind === 'l1') return tf.sum(tf.abs(tf.sub(a, b)), 1) as tf.Tensor1D;
  if (kind === 'l2') return tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(a, b)), 1), 1e-12)) as tf.Tensor1D;
  const dot = tf.sum(tf.mul(a, b), 1);
  const norms = tf.mul(tf.norm(a, 'euclidean', 1), tf.norm(b, 'euclidean', 1));
  return tf.sub(1, tf.div(dot, tf.maximum(norms, 1e-12))) as tf.Tensor1D;
}

/** Mean of max(dAP − dAN + margin, 0). */
export function tfTripletLoss(dAP: tf.Tensor1D, dAN: tf.Tensor1D, margin: number): tf.Scalar {
  return tf.mean(tf.relu(tf.add(tf.sub(dAP, dAN), margin))) as tf.Scalar;
}

/** he_uniform: U(−√(6/fan_in), √(6/fan_in)), from a seeded generator. */
export function heUniform(fanIn: number, fanOut: number, rand: () => number): Float32Array {
  const limit = Math.sqrt(6 / fanIn);
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * limit;
  return out;
}

export interface EncoderShape {
  inputDim: number;
  hidden: number;
  embedding: number;
}

/** A trainable encoder: its variables and a forward pass (`seed` drives dropout; null = inference). */
export interface EncoderNet {
  readonly variables: tf.Variable[];
  forward(x: tf.Tensor2D, dropout: number, seed: number | null): tf.Tensor2D;
  /**
   * The same for a batch given as its distinct rows `x` (U × dim) and each batch row's index into
   * them (`of`): the network runs on the U rows, its embeddings are gathered (see unique.ts).
   */
  forwardUnique?(x: tf.Tensor2D, of: Int32Array, dropout: number, seed: number | null): tf.Tensor2D;
  /** Current weights in WEIGHT_NAMES order. */
  read(): NamedWeight[];
  dispose(): void;
}

function initialWeights(shape: EncoderShape, seed: number): NamedWeight[] {
  const rand = seededRandom(seed);
  const { inputDim, hidden, embedding } = shape;
  return [
    { name: WEIGHT_NAMES[0], shape: [inputDim, hidden], data: heUniform(inputDim, hidden, rand) },
    { name: WEIGHT_NAMES[1], shape: [hidden], data: new Float32Array(hidden) },
    { name: WEIGHT_NAMES[2], shape: [hidden, embedding], data: heUniform(hidden, embedding, rand) },
    { name: WEIGHT_NAMES[3], shape: [embedding], data: new Float32Array(embedding) },
  ];
}

function applyDropout(x: tf.Tensor2D, rate: number, seed: number | null, salt: number): tf.Tensor2D {
  if (seed === null || rate <= 0) return x;
  return tf.mul(x, tf.tensor2d(dropoutMask(x.size, rate, seed * 2 + salt), x.shape));
}

/** The fast encoder (customGrad dense). */
export function createFastEncoder(shape: EncoderShape, seed: number): EncoderNet {
  const vars = initialWeights(shape, seed).map((w) => tf.variable(tf.tensor(w.data, w.shape), true, `${w.name}_${seed}_${nextVarId++}`));
  const [w1, b1, w2, b2] = vars;
  const forward = (x: tf.Tensor2D, rate: number, s: number | null): tf.Tensor2D => {
    let h = applyDropout(x, rate, s, 0);
    h = tf.relu(denseFast(h, w1, b1, false));
    h = applyDropout(h, rate, s, 1);
    return l2normalizeRows(denseFast(h, w2, b2));
  };
  return {
    variables: vars,
    forward,
    forwardUnique: (x, of, rate, s) => gatherRows(forward(x, rate, s), of),
    read: () => readVariables(vars),
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}

/** The same network with stock tf.layers.dense (for the benchmark; its backward pass uses transposed matMul). */
export function createLayersEncoder(shape: EncoderShape, seed: number): EncoderNet {
  const init = initialWeights(shape, seed);
  const d1 = tf.layers.dense({ units: shape.hidden, activation: 'relu', inputShape: [shape.inputDim] });
  const d2 = tf.layers.dense({ units: shape.embedding });
  d1.build([null, shape.inputDim]);
  d2.build([null, shape.hidden]);
  d1.setWeights([tf.tensor(init[0].data, init[0].shape), tf.tensor(init[1].data, init[1].shape)]);
  d2.setWeights([tf.tensor(init[2].data, init[2].shape), tf.tensor(init[3].data, init[3].shape)]);
  const vars = [...d1.trainableWeights, ...d2.trainableWeights].map((lw) => (lw as unknown as { val: tf.Variable }).val);
  return {
    variables: vars,
    forward(x, rate, s) {
      let h = applyDropout(x, rate, s, 0);
      h = d1.apply(h) as tf.Tensor2D;
      h = applyDropout(h, rate, s, 1);
      return l2normalizeRows(d2.apply(h) as tf.Tensor2D);
    },
    read: () => readVariables(vars),
    // Layer.dispose() refuses layers only applied eagerly; their variables are all there is to free.
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}

let nextVarId = 0;

function readVariables(vars: tf.Variable[]): NamedWeight[] {
  return vars.map((v, i) => ({ name: WEIGHT_NAMES[i], shape: v.shape.slice(), data: new Float32Array(v.dataSync() as Float32Array) }));
}

// ---------- Inference without tf ----------

/** The weights of an encoder, checked to be whole members (4 arrays each). */
export function weightsOf(enc: EncoderWeights): NamedWeight[] {
  if (enc.weights.length === 0 || enc.weights.length % 4 !== 0) throw new Error(`encoder: expected 4 weight arrays per member, got ${enc.weights.length}`);
  return enc.weights;
}

/** The members of an ensemble (groups of 4 weights); a plain encoder is one member. */
export function membersOf(enc: EncoderWeights): EncoderWeights[] {
  const w = weightsOf(enc);
  return Array.from({ length: w.length / 4 }, (_, k) => ({ weights: w.slice(4 * k, 4 * k + 4) }));
}

/** Joins the members' unit embeddings (n × e each) side by side, scaled by 1/√N (see fit.ts ensembleForward). */
function joinMembers(parts: Float32Array[], n: number): Float32Array {
  if (parts.length === 1) return parts[0];
  const e = parts[0].length / n;
  const scale = 1 / Math.sqrt(parts.length);
  const out = new Float32Array(n * e * parts.length);
  for (let i = 0; i < n; i++) parts.forEach((p, k) => { for (let j = 0; j < e; j++) out[i * e * parts.length + k * e + j] = p[i * e + j] * scale; });
  return out;
}

/** out[n×cols] = act(x[n×k] · W[k×cols] + b), row-major, i-k-j loop order for contiguous inner access. */
function denseJs(x: Float32Array, n: number, k: number, w: Float32Array, b: Float32Array, cols: number, relu: boolean): Float32Array {
  const out = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    const o = i * cols;
    out.set(b, o);
    for (let p = 0; p < k; p++) {
      const xv = x[i * k + p];
      if (xv === 0) continue;
      const wr = p * cols;
      for (let j = 0; j < cols; j++) out[o + j] += xv * w[wr + j];
    }
    if (relu) for (let j = 0; j < cols; j++) if (out[o + j] < 0) out[o + j] = 0;
  }
  return out;
}

/**
 * Embeds n feature rows (n×dim, row-major): no dropout, L2-normalised rows, n×embedding.
 * Uses tf when initBackend() has run in this thread (wasm: ~30× faster than the JS loop, 27 ms vs
 * 0.9 s for 300×768), else the plain-JS path.
 */
export function embedFeatures(encoder: EncoderWeights, rows: Float32Array, n: number, dim: number): Float32Array {
  const members = membersOf(encoder);
  if (members.length > 1) return joinMembers(members.map((m) => embedFeatures(m, rows, n, dim)), n);
  const [w1, b1, w2, b2] = weightsOf(encoder);
  if (w1.shape[0] !== dim) throw new Error(`embedFeatures: encoder expects ${w1.shape[0]}-d features, got ${dim}`);
  if (rows.length < n * dim) throw new Error(`embedFeatures: ${rows.length} values for ${n}×${dim}`);
  if (n === 0) return new Float32Array(0);
  if (currentBackend() !== null) {
    return tf.tidy(() => {
      const x = tf.tensor2d(rows.subarray(0, n * dim), [n, dim]);
      const h = tf.relu(tf.add(tf.matMul(x, tf.tensor2d(w1.data, w1.shape as [number, number])), tf.tensor1d(b1.data)));
      const e = tf.add(tf.matMul(h, tf.tensor2d(w2.data, w2.shape as [number, number])), tf.tensor1d(b2.data)) as tf.Tensor2D;
      return new Float32Array(l2normalizeRows(e).dataSync());
    });
  }
  return embedFeaturesJs(encoder, rows, n, dim);
}

/** The plain-JS embedFeatures (no tf needed). */
export function embedFeaturesJs(encoder: EncoderWeights, rows: Float32Array, n: number, dim: number): Float32Array {
  const members = membersOf(encoder);
  if (members.length > 1) return joinMembers(members.map((m) => embedFeaturesJs(m, rows, n, dim)), n);
  const [w1, b1, w2, b2] = weightsOf(encoder);
  const hidden = w1.shape[1];
  const emb = w2.shape[1];
  const h = denseJs(rows, n, dim, w1.data, b1.data, hidden, true);
  const e = denseJs(h, n, hidden, w2.data, b2.data, emb, false);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < emb; j++) s += e[i * emb + j] ** 2;
    const inv = 1 / Math.sqrt(s + 1e-12);
    for (let j = 0; j < emb; j++) e[i * emb + j] *= inv;
  }
  return e;
}
