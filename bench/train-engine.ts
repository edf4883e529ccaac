// Training engines side by side (`npm run bench -- train-engine [tps] [parity] [big]`; issue 12.3):
// the onnxruntime-node step graph (ml/encoder/ort/) vs tfjs-wasm, measured in the same run.
//   tps     triplets/s of one encoder at 768-d (wall and per CPU-s of this process), batch 64 and
//           256, over 300 and 20,000 random images; epoch 1 is warm-up. Target ≥ 10,000/s.
//   parity  accuracy with the default options, ORT vs wasm: image-disjoint CV on train.txt of both
//           shared sets (bench/accuracy-lib.ts makeFolds), seeds 1–5, mean ± sd over seeds of the
//           per-seed mean over folds. Never test.txt. Env PARITY_FOLDS=2 scores only the first folds.
//   big     the default run on 1,000,000 triplets over 20,000 images (bench/scale.ts big) with ORT:
//           wall time (target < 10 min), peak RSS, test accuracy.
// Run with nice -n 10 on a shared machine: the load average is printed next to every timing.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainOptions } from '../src/shared/types.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { fitEncoder, type FitInput } from '../src/main/ml/encoder/fit.js';
import { ortStepTiming } from '../src/main/ml/encoder/ort/engine.js';
import { loadOrtForTraining } from '../src/main/ml/encoder/ort/load.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import { loadAccuracySet } from './accuracy-data.js';
import { embeddingAccuracy, encoderEmbeddings, makeFolds } from './accuracy-lib.js';
import { makeScaleSet } from './scale-data.js';
import { mean, meanSd, partsFromArgs, type Row, runParts, sd, trainAndScore } from './scale-lib.js';

type Engine = NonNullable<FitInput['engine']>;
const ENGINES: Engine[] = ['onnxruntime', 'tfjs'];
const label = (e: Engine): string => (e === 'tfjs' ? 'wasm' : 'ORT');
const load = (): string => `load ${loadavg()[0].toFixed(1)}`;
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Triplets/s of one encoder over `images` random 768-d images, 3 epochs of `triplets`, the first not counted. */
async function tps(engine: Engine, images: number, triplets: number, batchSize: number): Promise<{ wall: number; cpu: number }> {
  const rand = seededRandom(7);
  const dim = 768;
  const features = Float32Array.from({ length: images * dim }, () => Math.max(0, rand() * 2 - 0.5));
  const t = Int32Array.from({ length: triplets * 3 }, () => Math.floor(rand() * images));
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, seed: 3, ensemble: 1, batchSize, stepsPerEpoch: 0, derived: 0 };
  const cpuAt: number[] = [];
  const r = await fitEncoder({ dim, features, triplets: t, options, engine }, { onEpoch: () => void cpuAt.push(cpuNow()) });
  const timed = r.epochs.slice(1);
  const count = r.trainCount * timed.length;
  return { wall: count / timed.reduce((s, e) => s + e.seconds, 0), cpu: count / (cpuAt.at(-1)! - cpuAt[0]) };
}

/** Per ORT step: JS (gathering rows, drawing masks) vs session.run (graph + tensor wrapping), since the last call. */
function ortSplit(): string {
  const t = ortStepTiming;
  const s = t.steps ? `per step JS ${(t.jsMs / t.steps).toFixed(2)} ms + run ${(t.runMs / t.steps).toFixed(2)} ms; ` : '';
  Object.assign(t, { steps: 0, jsMs: 0, runMs: 0 });
  return s;
}

async function tpsRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const images of [300, 20_000]) {
    for (const batch of [64, 256]) {
      const got: Partial<Record<Engine, { wall: number; cpu: number }>> = {};
      for (const engine of ENGINES) {
        ortSplit();
        const v = (got[engine] = await tps(engine, images, batch === 64 ? 3072 : 6144, batch));
        const ratio = engine === 'tfjs' ? `ORT ${(got.onnxruntime!.cpu / v.cpu).toFixed(2)}× wasm per CPU-s, ${(got.onnxruntime!.wall / v.wall).toFixed(2)}× wall; ` : ortSplit();
        rows.push({ what: `train ${label(engine)}`, detail: `one encoder, ${images.toLocaleString('en-US')} images, batch ${batch}`, value: v.cpu, unit: 'triplets/CPU-s', note: `${ratio}wall ${v.wall.toFixed(0)}/s; ${load()}; target ≥ 10,000` });
      }
    }
  }
  return rows;
}

const SEEDS = [1, 2, 3, 4, 5];
const FOLDS = 5;
const PARITY_FOLDS = Number(process.env.PARITY_FOLDS ?? FOLDS);

async function parityRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of ['flowers', 'trash']) {
    const set = await loadAccuracySet(name);
    if (!set) {
      rows.push({ what: 'parity', detail: `${name}: shared set not found`, value: NaN, unit: '' });
      continue;
    }
    const folds = makeFolds(set, FOLDS, 1000, 1).slice(0, PARITY_FOLDS);
    const acc: Record<Engine, number[]> = { onnxruntime: [], tfjs: [] };
    const secs: Record<Engine, number> = { onnxruntime: 0, tfjs: 0 };
    for (const seed of SEEDS) {
      for (const engine of ENGINES) {
        const t0 = performance.now();
        const perFold: number[] = [];
        for (const f of folds) perFold.push(embeddingAccuracy((await encoderEmbeddings(set, f.train, { ...DEFAULT_TRAIN_OPTIONS, seed }, { engine })).model, set.names.length, f.eval));
        secs[engine] += (performance.now() - t0) / 1000;
        acc[engine].push(mean(perFold));
      }
    }
    for (const engine of ENGINES) rows.push({ what: `CV ${label(engine)}`, detail: `${name}: defaults, ${folds.length} of ${FOLDS} image-disjoint folds, seeds 1–5: ${meanSd(acc[engine])}`, value: mean(acc[engine]), unit: 'acc', note: `${secs[engine].toFixed(0)} s wall in all; ${load()}` });
    const diff = mean(acc.onnxruntime) - mean(acc.tfjs);
    rows.push({ what: 'ORT − wasm', detail: `${name}: mean CV accuracy difference`, value: diff, unit: 'Δ acc', note: `target |Δ| ≤ sd (${Math.max(sd(acc.onnxruntime), sd(acc.tfjs)).toFixed(3)}); ORT ${(secs.tfjs / secs.onnxruntime).toFixed(1)}× faster end to end` });
  }
  return rows;
}

/** Epochs of the big run actually trained (env BIG_EPOCHS; fewer than the default's are projected to it, as bench/scale.ts big). */
const BIG_EPOCHS = Number(process.env.BIG_EPOCHS ?? DEFAULT_TRAIN_OPTIONS.epochs);

async function bigRows(): Promise<Row[]> {
  const set = makeScaleSet({ trainImages: 20_000, testImages: 2000, trainTriplets: 1_000_000, testTriplets: 10_000, classes: 10, seed: 3 });
  const r = await trainAndScore(set, { seed: 1, epochs: BIG_EPOCHS }, { engine: 'onnxruntime' });
  const full = DEFAULT_TRAIN_OPTIONS.epochs;
  const scale = full / BIG_EPOCHS;
  const projected = BIG_EPOCHS < full ? `; ${BIG_EPOCHS} of ${full} epochs trained, × ${scale} projected` : '';
  return [
    { what: 'default run ORT', detail: `1,000,000 triplets over 20,000 images (${r.fit.tripletsPerEpoch}/epoch, ensemble ${DEFAULT_TRAIN_OPTIONS.ensemble}, ${full} epochs${projected})`, value: (r.seconds * scale) / 60, unit: 'wall min', note: `CPU ${((r.cpuSeconds * scale) / 60).toFixed(1)} min; ${ortSplit()}target < 10 min; ${load()}` },
    { what: 'default run ORT', detail: 'peak RSS of the process (features + triplets + training)', value: r.peakRssMb, unit: 'MB' },
    { what: 'default run ORT', detail: `test accuracy after ${BIG_EPOCHS} epochs (raw features ≈ 0.73)`, value: r.accuracy, unit: 'acc' },
  ];
}

const PARTS = { tps: tpsRows, parity: parityRows, big: bigRows } as const;
type Part = keyof typeof PARTS;

export async function runTrainEngineBench(parts: Part[] = partsFromArgs(PARTS)): Promise<Row[]> {
  await initBackend('wasm');
  const missing = await loadOrtForTraining().then(() => null, (e: Error) => e.message);
  if (missing) {
    console.log(`onnxruntime-node unavailable (${missing}): nothing to compare`);
    return [];
  }
  return runParts(PARTS, parts);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runTrainEngineBench();
