// The training loop (runs inside the training worker; the benchmark calls it directly).
// Seeded: the hold-out split, initial weights, batch order and dropout masks all derive from
// options.seed, so a run is reproducible on one backend.
import type { EpochMetric, TrainOptions } from '../../../shared/types.js';
import { tf } from '../backend/tfjs.js';
import { createFastEncoder, createLayersEncoder, type EncoderNet, memberWeightName, type NamedWeight, tfDistance, tfTripletLoss } from './model.js';
import { ensembleForward, evaluate, gatherFeatures, type HostFeatures } from './evaluate.js';

export { ensembleForward } from './evaluate.js';
import { seededRandom } from './rng.js';
import { uniqueRows, uniqueWorthIt } from './unique.js';
import type { EpochTriplets } from './miners/epochs.js';
import { memorySplit } from './sources/memory.js';
import type { SourceSplit, SqliteTriplets, TripletSourceKind } from './sources/source.js';
import { sqliteSplit } from './sources/sqlite.js';
import { engineOf, memberStepSeed, type TrainEngine, type TrainEngineName } from './engine.js';
import { createOrtEngine } from './ort/engine.js';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  valAccuracy?: number;
  /** The epoch's closing report only: its validation loss and duration (a cancelled run keeps them). */
  valLoss?: number;
  seconds?: number;
}

export interface FitInput {
  dim: number;
  /** rows × dim feature matrix. */
  features: Float32Array;
  /** Triplets as row indices into `features`: [a0, p0, n0, a1, p1, n1, …] (empty with `sqlite`). */
  triplets: Int32Array;
  /** Large sets: the triplets are in this scratch store instead (sources/sqlite.ts), not in `triplets`. */
  sqlite?: SqliteTriplets;
  options: TrainOptions;
  /** 'layers' uses stock tf.layers.dense (benchmark only). */
  impl?: 'fast' | 'layers';
  /** false: always the per-row first layer (the benchmark's old path); default: unique rows when cheaper (unique.ts). */
  unique?: boolean;
  /** Who runs the training steps (engine.ts); default: onnxruntime when options.backend is 'onnxruntime', else tfjs. */
  engine?: TrainEngineName;
  /**
   * Features of the same images mirrored left to right (same rows): when given, each image of each
   * training triplet is drawn from either at random (feature augmentation).
   */
  flipped?: Float32Array;
}

export interface FitCallbacks {
  onProgress?(p: TrainProgress): void;
  onEpoch?(m: EpochMetric): void;
  /** After each epoch, with the current weights (the accuracy bench scores them on its folds). */
  onEpochWeights?(epoch: number, weights: () => NamedWeight[]): void;
  /** Before each epoch, what it trains on (tests: which triplets a capped epoch draws). */
  onEpochTriplets?(epoch: number, e: EpochTriplets): void;
  /** Checked after every step: aborted → the run stops there with an AbortError (its engine released). */
  signal?: AbortSignal;
}

export interface FitResult {
  weights: NamedWeight[];
  epochs: EpochMetric[];
  bestEpoch: number;
  trainCount: number;
  valCount: number;
  /** Triplets trained on per epoch: trainCount, or fewer for a large set (schedule.ts). */
  tripletsPerEpoch: number;
  /** Training triplets left out because they share images with validation triplets. */
  unusedCount: number;
  /** Images held out for validation. */
  valImages: number;
  seed: number;
  seconds: number;
  /** Where the triplets were drawn from: the packed array ('memory') or the run's scratch store ('sqlite'). */
  tripletSource: TripletSourceKind;
}

const PROGRESS_INTERVAL_MS = 200;

/**
 * The feature-row indices of the given triplets as one batch: all A, then all P, then all N.
 * `feats` holds the plain rows, then the mirrored ones; with `flipRand`, each row is taken from the
 * mirrored half at random.
 */
function batchRows(rows: number, triplets: Int32Array, which: Int32Array, from: number, to: number, flipRand?: () => number): Int32Array {
  const m = to - from;
  const idx = new Int32Array(3 * m);
  for (let i = 0; i < m; i++) {
    const t = which[from + i] * 3;
    idx[i] = triplets[t];
    idx[m + i] = triplets[t + 1];
    idx[2 * m + i] = triplets[t + 2];
  }
  if (flipRand) for (let i = 0; i < idx.length; i++) if (flipRand() < 0.5) idx[i] += rows;
  return idx;
}

/** A training batch: its feature rows, or its distinct rows and each batch row's index into them (unique.ts). */
interface Batch {
  x: tf.Tensor2D;
  of?: Int32Array;
}

/** The batch as distinct rows when that saves enough of the first layer's work and the net supports it. */
function trainBatch(feats: HostFeatures, idx: Int32Array, unique: boolean): Batch {
  if (unique) {
    const u = uniqueRows(idx);
    if (uniqueWorthIt(u)) return { x: gatherFeatures(feats, u.rows), of: u.of };
  }
  return { x: gatherFeatures(feats, idx) };
}

function splitDistances(net: EncoderNet, batch: Batch, m: number, opts: TrainOptions, seed: number | null): [tf.Tensor1D, tf.Tensor1D] {
  const e = batch.of && net.forwardUnique ? net.forwardUnique(batch.x, batch.of, opts.dropout, seed) : net.forward(batch.x, opts.dropout, seed);
  const [a, p, n] = tf.split(e, [m, m, m], 0) as tf.Tensor2D[];
  return [tfDistance(opts.distance, a, p), tfDistance(opts.distance, a, n)];
}

/** weightDecay · (Σ kernel1² + Σ kernel2²): L2 regularisation of the two dense kernels. */
function kernelPenalty(net: EncoderNet, weightDecay: number): tf.Scalar {
  const [w1, , w2] = net.variables;
  return tf.mul(weightDecay, tf.add(tf.sum(tf.square(w1)), tf.sum(tf.square(w2)))) as tf.Scalar;
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The rows training draws from: the plain ones, then (only when `flips`) the mirrored ones. */
function hostFeatures(input: FitInput, flips: boolean): HostFeatures {
  const rows = input.features.length / input.dim;
  // Nothing mirrored to draw: the plain rows as they are (no second copy, 60 MB at 20,000 × 768).
  if (!flips) return { data: input.features, dim: input.dim, rows };
  const both = new Float32Array(2 * input.features.length);
  both.set(input.features);
  both.set(input.flipped ?? input.features, input.features.length);
  return { data: both, dim: input.dim, rows };
}

/** Is this epoch better than the best so far (higher validation accuracy, ties → lower validation loss)? */
const improves = (val: { accuracy: number; loss: number }, best: { acc: number; loss: number } | null): boolean =>
  !best || val.accuracy > best.acc || (val.accuracy === best.acc && val.loss < best.loss);

/** One training step of every member on the same batch (own dropout masks); returns the mean loss. */
async function trainStep(members: { net: EncoderNet; optimizer: tf.Optimizer }[], batch: Batch, m: number, opts: TrainOptions, stepSeed: number): Promise<number> {
  const weightDecay = opts.weightDecay ?? 0;
  let sum = 0;
  for (let k = 0; k < members.length; k++) {
    const { net, optimizer } = members[k];
    const cost = optimizer.minimize(() => {
      const [dAP, dAN] = splitDistances(net, batch, m, opts, memberStepSeed(stepSeed, k));
      const loss = tfTripletLoss(dAP, dAN, opts.margin);
      return weightDecay > 0 ? tf.add(loss, kernelPenalty(net, weightDecay)) : loss;
    }, true, net.variables);
    sum += (await cost!.data())[0];
    cost!.dispose();
  }
  return sum / members.length;
}

/** Current weights of every member, member after member (4 arrays each). */
const readAll = (members: { net: EncoderNet }[]): NamedWeight[] => members.flatMap((mb, k) => mb.net.read().map((w) => ({ ...w, name: memberWeightName(k, w.name) })));

/** The tfjs engine: one Adam optimizer per member, the batch as distinct rows when cheaper (`unique`). */
function tfjsEngine(nets: EncoderNet[], opts: TrainOptions, unique: boolean): TrainEngine {
  const members = nets.map((net) => ({ net, optimizer: tf.train.adam(opts.learningRate) }));
  return {
    name: 'tfjs',
    async step(feats, idx, m, stepSeed) {
      const batch = trainBatch(feats, idx, unique);
      try {
        return await trainStep(members, batch, m, opts, stepSeed);
      } finally {
        batch.x.dispose();
      }
    },
    read: () => readAll(members),
    nets: () => nets,
    dispose: () => members.forEach((mb) => (mb.net.dispose(), mb.optimizer.dispose())),
  };
}

/** The engine asked for; members start from the same seeded weights whichever runs them. */
async function createEngine(input: FitInput, nets: EncoderNet[], unique: boolean): Promise<TrainEngine> {
  if (engineOf(input.engine, input.options.backend) !== 'onnxruntime') return tfjsEngine(nets, input.options, unique);
  try {
    return await createOrtEngine(nets, input.dim, input.options);
  } catch (err) {
    nets.forEach((n) => n.dispose());
    throw err;
  }
}

export async function fitEncoder(input: FitInput, cb: FitCallbacks = {}): Promise<FitResult> {
  const t0 = performance.now();
  const opts = input.options;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rand = seededRandom(seed);
  const count = input.sqlite ? input.sqlite.count : input.triplets.length / 3;
  if (!Number.isInteger(count) || count === 0) throw new Error('trainEncoder: no training triplets');
  const source = openSource(input, rand);
  try {
    return await fitFrom(input, source, seed, rand, cb, t0);
  } finally {
    source.close();
  }
}

/** The hold-out of the input's triplets: from the packed array, or streamed from its scratch store. */
function openSource(input: FitInput, rand: () => number): SourceSplit {
  if (!input.sqlite) return memorySplit(input.triplets, input.options, rand);
  return sqliteSplit(input.sqlite, input.features.length / input.dim, input.options, rand);
}

async function fitFrom(input: FitInput, split: SourceSplit, seed: number, rand: () => number, cb: FitCallbacks, t0: number): Promise<FitResult> {
  const opts = input.options;
  const validating = split.validating;
  // Mirrored rows equal to the plain ones augment nothing: skipped, so the unique path sees one image, not two.
  const flips = input.flipped !== undefined && !sameValues(input.flipped, input.features);
  const feats = hostFeatures(input, flips);
  const shape = { inputDim: input.dim, hidden: opts.hidden, embedding: opts.embedding };
  const initSeed = Math.floor(rand() * 2 ** 31);
  const flipRand = flips ? seededRandom(initSeed ^ 0x5bd1e995) : undefined;
  // Planned before the nets exist (nothing to release if it fails); it draws nothing from `rand`.
  const { plan, planEpoch, evalTriplets, evalIdx } = split.planner(initSeed);
  const create = input.impl === 'layers' ? createLayersEncoder : createFastEncoder;
  // Member 0 starts from exactly the weights a single encoder would (an ensemble of 1 is the old model).
  const nets = Array.from({ length: opts.ensemble ?? 1 }, (_, k) => create(shape, k === 0 ? initSeed : (initSeed + k * 104729) % 2 ** 31));
  const unique = input.impl !== 'layers' && input.unique !== false;
  const engine = await createEngine(input, nets, unique);
  const epochs: EpochMetric[] = [];
  let best: { epoch: number; acc: number; loss: number; weights: NamedWeight[] } | null = null;
  let lastReport = 0;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const te = performance.now();
      const planned = planEpoch(rand);
      cb.onEpochTriplets?.(epoch, planned);
      const { triplets: epochTriplets, order } = planned;
      const batches = Math.ceil(order.length / opts.batchSize);
      let lossSum = 0;
      let seen = 0;
      // The epoch's step seeds, drawn up front in the order the steps drew them one by one (the same
      // values): the engine is told the next step's, to draw its masks while this step runs.
      const seeds = Int32Array.from({ length: batches }, () => Math.floor(rand() * 2 ** 30));
      for (let b = 0; b < batches; b++) {
        const from = b * opts.batchSize;
        const to = Math.min(order.length, from + opts.batchSize);
        const m = to - from;
        const next = b + 1 < batches ? { m: Math.min(order.length, to + opts.batchSize) - to, stepSeed: seeds[b + 1] } : undefined;
        const loss = await engine.step(feats, batchRows(feats.rows, epochTriplets, order, from, to, flipRand), m, seeds[b], next);
        cb.signal?.throwIfAborted();
        lossSum += loss * m;
        seen += m;
        const now = performance.now();
        // Mid-epoch reports carry the running epoch-mean loss and no validation accuracy yet.
        if (cb.onProgress && now - lastReport >= PROGRESS_INTERVAL_MS && b < batches - 1) {
          lastReport = now;
          cb.onProgress({ epoch, epochs: opts.epochs, batch: b + 1, batches, loss: lossSum / seen });
        }
      }
      const val = evaluate(engine.nets(), feats, evalTriplets, evalIdx, opts);
      const metric: EpochMetric = { epoch, loss: lossSum / seen, valLoss: val.loss, valAccuracy: val.accuracy, seconds: (performance.now() - te) / 1000 };
      epochs.push(metric);
      // The epoch's last report: its mean loss and the validation accuracy of this same epoch.
      cb.onProgress?.({ epoch, epochs: opts.epochs, batch: batches, batches, loss: metric.loss, valAccuracy: metric.valAccuracy, valLoss: metric.valLoss, seconds: metric.seconds });
      cb.onEpoch?.(metric);
      cb.onEpochWeights?.(epoch, () => engine.read());
      if (!validating || improves(val, best)) best = { epoch, acc: val.accuracy, loss: val.loss, weights: engine.read() };
      // Early stopping: `patience` epochs without a better validation score end the run.
      if (validating && opts.patience && epoch - best!.epoch >= opts.patience) break;
      // Let queued messages (and a terminate) through between epochs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await engine.dispose();
  }
  return {
    weights: best!.weights,
    epochs,
    bestEpoch: best!.epoch,
    trainCount: split.trainCount,
    tripletsPerEpoch: plan.perEpoch,
    valCount: split.valCount,
    unusedCount: split.unused,
    valImages: split.heldImages,
    seed,
    seconds: (performance.now() - t0) / 1000,
    tripletSource: split.kind,
  };
}
