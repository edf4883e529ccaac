// Training and scoring helpers for the scale bench (bench/scale.ts).
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { distance } from '../src/main/ml/encoder/distances.js';
import { type FitInput, fitEncoder, type FitResult } from '../src/main/ml/encoder/fit.js';
import { embedFeatures } from '../src/main/ml/encoder/model.js';
import type { TrainOptions } from '../src/shared/types.js';
import type { ScaleSet } from './scale-data.js';

export interface Trained {
  fit: FitResult;
  seconds: number;
  /** CPU seconds of this process (training is one thread: what an idle core would take). */
  cpuSeconds: number;
  accuracy: number;
  peakRssMb: number;
}

/** Fraction of test triplets with d(a,p) < d(a,n) under the trained encoder. */
export function testAccuracy(set: ScaleSet, fit: FitResult, kind: TrainOptions['distance']): number {
  const n = set.features.length / set.dim;
  const e = embedFeatures(fit, set.features, n, set.dim);
  const w = e.length / n;
  const row = (r: number) => e.subarray(r * w, (r + 1) * w);
  let ok = 0;
  for (let t = 0; t < set.test.length; t += 3) if (distance(kind, row(set.test[t]), row(set.test[t + 1])) < distance(kind, row(set.test[t]), row(set.test[t + 2]))) ok++;
  return ok / (set.test.length / 3);
}

/** Trains on the set's train triplets with the default options plus `over`; times it and scores the test triplets. */
export async function trainAndScore(set: ScaleSet, over: Partial<TrainOptions>, impl: Pick<FitInput, 'unique' | 'engine'> = {}): Promise<Trained> {
  const options = { ...DEFAULT_TRAIN_OPTIONS, ...over };
  const features = set.features.subarray(0, set.trainImages * set.dim);
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    const fit = await fitEncoder({ dim: set.dim, features, triplets: set.train, options, ...impl }, { onEpoch: () => void (peak = Math.max(peak, process.memoryUsage().rss)) });
    const c = process.cpuUsage(c0);
    return { fit, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, accuracy: testAccuracy(set, fit, options.distance), peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(sample);
  }
}

export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
export const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
export const meanSd = (xs: number[]): string => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;
