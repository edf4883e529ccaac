// Training and scoring helpers for the scale bench (bench/scale.ts).
import { readdirSync, readFileSync } from 'node:fs';
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

const lastCpu = new Map<string, number>();

/**
 * CPU seconds of each thread of this process since the last call (Linux /proc; threads under 0.5 s
 * left out): shows which thread a slow epoch spent its time in — member threads, the main thread, or
 * V8's helper threads collecting garbage (how the late-epoch slowdown of the ORT run was found).
 */
function threadCpu(): string {
  if (process.platform !== 'linux') return '';
  const out: string[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
    const t = (Number(f[11]) + Number(f[12])) / 100;
    const d = t - (lastCpu.get(tid) ?? 0);
    lastCpu.set(tid, t);
    if (d > 0.5) out.push(`${comm}#${tid}:${d.toFixed(1)}`);
  }
  return out.join(' ');
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
    const fit = await fitEncoder({ dim: set.dim, features, triplets: set.train, options, ...impl }, {
      onEpoch: (m) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        // BENCH_EPOCHS=1: a line per epoch (time, loss, CPU per thread), to see a run that slows down late.
        if (process.env.BENCH_EPOCHS) console.log(`epoch ${m.epoch}: ${m.seconds?.toFixed(1)} s, loss ${m.loss.toFixed(4)}, val ${m.valAccuracy?.toFixed(3)} ${threadCpu()} heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
      },
    });
    const c = process.cpuUsage(c0);
    return { fit, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, accuracy: testAccuracy(set, fit, options.distance), peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(sample);
  }
}

export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
export const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
export const meanSd = (xs: number[]): string => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

/** One row of a bench table. */
export interface Row {
  what: string;
  detail: string;
  value: number;
  unit: string;
  note?: string;
}

/** The parts named on the command line (`npm run bench -- scale tps rule`), else all of them. */
export function partsFromArgs<P extends string>(parts: Record<P, unknown>): P[] {
  const named = process.argv.slice(2).filter((a): a is P => a in parts);
  return named.length ? named : (Object.keys(parts) as P[]);
}

/** Runs the given parts in turn, printing one table per part; returns all their rows. */
export async function runParts<P extends string>(parts: Record<P, () => Promise<Row[]>>, which: P[]): Promise<Row[]> {
  const all: Row[] = [];
  for (const p of which) {
    const rows = await parts[p]();
    console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(3)), note: r.note ?? '' })));
    all.push(...rows);
  }
  return all;
}
