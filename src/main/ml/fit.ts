// The training loop (runs inside the training worker; the benchmark calls it directly).
// Seeded: the hold-out split, initial weights, batch order and dropout masks all derive from
// options.seed, so a run is reproducible on one backend.
import type { EpochMetric, TrainOptions } from '../../shared/types.js';
import { tf } from './backend.js';
import { createFastEncoder, createLayersEncoder, type EncoderNet, type NamedWeight, tfDistance, tfTripletLoss } from './encoder.js';
import { seededRandom, shuffleInPlace } from './rng.js';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  valAccuracy?: number;
  /** Seconds remaining (estimate). */
  eta?: number;
}

export interface FitInput {
  dim: number;
  /** rows × dim feature matrix. */
  features: Float32Array;
  /** Triplets as row indices into `features`: [a0, p0, n0, a1, p1, n1, …]. */
  triplets: Int32Array;
  options: TrainOptions;
  /** 'layers' uses stock tf.layers.dense (benchmark only). */
  impl?: 'fast' | 'layers';
}

export interface FitCallbacks {
  onProgress?(p: TrainProgress): void;
  onEpoch?(m: EpochMetric): void;
}

export interface FitResult {
  weights: NamedWeight[];
  epochs: EpochMetric[];
  bestEpoch: number;
  trainCount: number;
  valCount: number;
  seed: number;
  seconds: number;
}

const PROGRESS_INTERVAL_MS = 200;

/** Seeded hold-out: returns [train, val] triplet indices (val is empty when split is 0 or too few triplets). */
export function splitHoldout(count: number, validationSplit: number, rand: () => number): [Int32Array, Int32Array] {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffleInPlace(order, rand);
  const nVal = count >= 2 ? Math.min(count - 1, Math.round(count * validationSplit)) : 0;
  return [order.slice(nVal), order.slice(0, nVal)];
}

/** Gathers the A/P/N feature rows of the given triplets into one [3·m, dim] tensor: all A, then all P, then all N. */
function gatherApn(feats: tf.Tensor2D, triplets: Int32Array, which: Int32Array, from: number, to: number): tf.Tensor2D {
  const m = to - from;
  const idx = new Int32Array(3 * m);
  for (let i = 0; i < m; i++) {
    const t = which[from + i] * 3;
    idx[i] = triplets[t];
    idx[m + i] = triplets[t + 1];
    idx[2 * m + i] = triplets[t + 2];
  }
  return tf.tidy(() => tf.gather(feats, tf.tensor1d(idx, 'int32')));
}

function splitDistances(net: EncoderNet, x: tf.Tensor2D, m: number, opts: TrainOptions, seed: number | null): [tf.Tensor1D, tf.Tensor1D] {
  const e = net.forward(x, opts.dropout, seed);
  const [a, p, n] = tf.split(e, [m, m, m], 0) as tf.Tensor2D[];
  return [tfDistance(opts.distance, a, p), tfDistance(opts.distance, a, n)];
}

/** Loss and accuracy (dAP < dAN) of the current weights, without dropout. */
function evaluate(net: EncoderNet, feats: tf.Tensor2D, triplets: Int32Array, which: Int32Array, opts: TrainOptions): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  const chunk = 512;
  for (let from = 0; from < which.length; from += chunk) {
    const to = Math.min(which.length, from + chunk);
    const m = to - from;
    const [ap, an] = tf.tidy(() => {
      const x = gatherApn(feats, triplets, which, from, to);
      const [dAP, dAN] = splitDistances(net, x, m, opts, null);
      return [dAP.dataSync(), dAN.dataSync()];
    });
    for (let i = 0; i < m; i++) {
      loss += Math.max(ap[i] - an[i] + opts.margin, 0);
      if (ap[i] < an[i]) correct++;
    }
  }
  return { loss: loss / Math.max(1, which.length), accuracy: correct / Math.max(1, which.length) };
}

export async function fitEncoder(input: FitInput, cb: FitCallbacks = {}): Promise<FitResult> {
  const t0 = performance.now();
  const opts = input.options;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rand = seededRandom(seed);
  const count = input.triplets.length / 3;
  if (!Number.isInteger(count) || count === 0) throw new Error('trainEncoder: no training triplets');
  const [trainIdx, valHeld] = splitHoldout(count, opts.validationSplit, rand);
  // Without a hold-out, "validation" metrics are measured on the training triplets (no dropout).
  const valIdx = valHeld.length ? valHeld : trainIdx;
  const rows = input.features.length / input.dim;
  const feats = tf.tensor2d(input.features, [rows, input.dim]);
  const shape = { inputDim: input.dim, hidden: opts.hidden, embedding: opts.embedding };
  const initSeed = Math.floor(rand() * 2 ** 31);
  const net = input.impl === 'layers' ? createLayersEncoder(shape, initSeed) : createFastEncoder(shape, initSeed);
  const optimizer = tf.train.adam(opts.learningRate);
  const batches = Math.ceil(trainIdx.length / opts.batchSize);
  const totalSteps = batches * opts.epochs;
  const epochs: EpochMetric[] = [];
  let best: { epoch: number; acc: number; loss: number; weights: NamedWeight[] } | null = null;
  let lastReport = 0;
  let step = 0;
  const tStart = performance.now();
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const te = performance.now();
      shuffleInPlace(trainIdx, rand);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const from = b * opts.batchSize;
        const to = Math.min(trainIdx.length, from + opts.batchSize);
        const m = to - from;
        const stepSeed = Math.floor(rand() * 2 ** 30);
        const x = gatherApn(feats, input.triplets, trainIdx, from, to);
        const cost = optimizer.minimize(() => {
          const [dAP, dAN] = splitDistances(net, x, m, opts, stepSeed);
          return tfTripletLoss(dAP, dAN, opts.margin);
        }, true, net.variables);
        x.dispose();
        const loss = (await cost!.data())[0];
        cost!.dispose();
        lossSum += loss * m;
        step++;
        const now = performance.now();
        if (cb.onProgress && (now - lastReport >= PROGRESS_INTERVAL_MS || b === batches - 1)) {
          lastReport = now;
          const perStep = (now - tStart) / 1000 / step;
          cb.onProgress({ epoch, epochs: opts.epochs, batch: b + 1, batches, loss, valAccuracy: epochs.at(-1)?.valAccuracy, eta: perStep * (totalSteps - step) });
        }
      }
      const val = evaluate(net, feats, input.triplets, valIdx, opts);
      const metric: EpochMetric = { epoch, loss: lossSum / trainIdx.length, valLoss: val.loss, valAccuracy: val.accuracy, seconds: (performance.now() - te) / 1000 };
      epochs.push(metric);
      cb.onEpoch?.(metric);
      if (!best || val.accuracy > best.acc || (val.accuracy === best.acc && val.loss < best.loss)) {
        best = { epoch, acc: val.accuracy, loss: val.loss, weights: net.read() };
      }
      // Let queued messages (and a terminate) through between epochs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    feats.dispose();
    net.dispose();
    optimizer.dispose();
  }
  return {
    weights: best!.weights,
    epochs,
    bestEpoch: best!.epoch,
    trainCount: trainIdx.length,
    valCount: valHeld.length,
    seed,
    seconds: (performance.now() - t0) / 1000,
  };
}
