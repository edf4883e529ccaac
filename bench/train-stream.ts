// Streaming triplets from SQLite vs holding them in memory (`npm run bench -- train-stream`, issue
// 12.3): the bench/train-big-project.ts stores (20,000 train images' synthetic 768-d features, 2,000
// test images) at 1,000,000 and 3,000,000 train triplets, each trained through Project.train in a
// child process (bench/train-big-child.ts) with the triplets forced in memory and streamed from the
// run's scratch store (TRIPLET_STUDIO_STREAM_MIN_TRIPLETS), alternating. Reported per set and source:
// time to the first step, peak RSS, wall time of the run and its epochs; then, in this process on
// the largest set, the sampling alone: the hold-out + plan (the passes before the first step) and
// the mean time to draw one default epoch (80,000 triplets + as many implied ones), memory vs SQLite.
//   TRAIN_STREAM_EPOCHS=N    epochs per run (default 2)
//   TRAIN_STREAM_SIZES=a,b   train-triplet counts (default 1000000,3000000)
//   TRAIN_BIG_STORES=DIR     keep / reuse the built stores (shared with train-big-project)
//   TRAIN_STREAM_RUNS=0      the in-process sampling comparison alone, on every size
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { memorySplit } from '../src/main/ml/encoder/sources/memory.js';
import type { SourceSplit } from '../src/main/ml/encoder/sources/source.js';
import { sqliteSplit } from '../src/main/ml/encoder/sources/sqlite.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import { featureKey } from '../src/main/project/features.js';
import { prepareTraining } from '../src/main/project/train-input.js';
import { snapshotTrain } from '../src/main/project/train-stream.js';
import { openDb, readTransaction } from '../src/main/store/db.js';
import { activeTripletColumns } from '../src/main/store/triplet-columns.js';
import { repoRoot, sharedModelsDir } from '../test/helpers/shared.js';
import { buildStore } from './train-big-project.js';
import { used } from './train-big-reads.js';

const EPOCHS = Number(process.env.TRAIN_STREAM_EPOCHS ?? 2);
const SIZES = (process.env.TRAIN_STREAM_SIZES ?? '1000000,3000000').split(',').map(Number);
const SAMPLED_EPOCHS = 5;
const RUNS = process.env.TRAIN_STREAM_RUNS !== '0';

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

interface ChildResult {
  seconds: number;
  firstStepSeconds: number | null;
  peakRssMb: number;
  rssAtFirstStepMb: number | null;
  epochSeconds: number[];
  trainCount: number;
  tripletSource?: string;
}

/** One Project.train run in its own process; `streamMin` decides the source (1e12: memory). */
function trainInChild(dir: string, streamMin: number): Promise<ChildResult> {
  const script = join(repoRoot, 'bench', 'train-big-child.ts');
  const env = { ...process.env, TRIPLET_STUDIO_STREAM_MIN_TRIPLETS: String(streamMin) };
  return new Promise((resolve, reject) => {
    execFile('nice', ['-n', '10', process.execPath, '--import', 'tsx', script, dir, String(EPOCHS)], { cwd: repoRoot, env, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

/** Seconds for the source's hold-out and plan, the mean seconds to draw one epoch, and MB held then above `base`. */
function timeSampling(open: (rand: () => number) => SourceSplit, base: number): { prepare: number; epoch: number; mb: number } {
  const rand = seededRandom(1);
  const t0 = performance.now();
  const split = open(rand);
  try {
    const { planEpoch } = split.planner(7);
    const prepare = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (let e = 0; e < SAMPLED_EPOCHS; e++) planEpoch(rand);
    const epoch = (performance.now() - t1) / 1000 / SAMPLED_EPOCHS;
    return { prepare, epoch, mb: used() - base };
  } finally {
    split.close();
  }
}

/** The sampling alone on the store in `dir`: memory (packed array) vs SQLite (the run's scratch store). */
function compareSampling(dir: string): void {
  const db = openDb(join(dir, 'project.sqlite'));
  const key = featureKey('mobilenet_v1_0.75_224');
  const opts = { ...DEFAULT_TRAIN_OPTIONS };
  try {
    const base = used();
    const columns = readTransaction(db, () => activeTripletColumns(db, 'train'));
    const count = columns.count;
    const mem = prepareTraining(db, key, columns, [], []);
    columns.abc = columns.ids = columns.lines = new Int32Array(0); // as runs.ts: only the packed copy lives on
    const m = timeSampling((rand) => memorySplit(mem.packed.triplets, opts, rand), base);
    mem.packed.triplets = new Int32Array(0);
    mem.packed.features = new Float32Array(0);
    process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS = '1';
    const base2 = used();
    const snap = readTransaction(db, () => snapshotTrain(db, dir));
    try {
      const t0 = performance.now();
      const prepared = snap.prepare(db, key, [], []);
      const write = (performance.now() - t0) / 1000;
      const s = timeSampling((rand) => sqliteSplit(prepared.sqlite!, prepared.packed.features.length / prepared.dim, opts, rand), base2);
      console.log(`sampling, ${count} triplets, defaults (derived 1, no hold-out), mean of ${SAMPLED_EPOCHS} epochs; MB held = heap + buffers after GC while the source is planned (features included):`);
      console.log(`  memory: hold-out + plan ${m.prepare.toFixed(2)} s, one epoch ${(m.epoch * 1000).toFixed(0)} ms, ${m.mb.toFixed(0)} MB held`);
      console.log(`  SQLite: scratch rows written ${write.toFixed(2)} s, hold-out + plan ${s.prepare.toFixed(2)} s, one epoch ${(s.epoch * 1000).toFixed(0)} ms, ${s.mb.toFixed(0)} MB held`);
      console.log(`  SQLite / memory: plan ${(s.prepare / m.prepare).toFixed(1)}×, epoch ${(s.epoch / m.epoch).toFixed(1)}×, held ${(s.mb / m.mb).toFixed(2)}×; load ${load()}`);
    } finally {
      snap.dispose();
      delete process.env.TRIPLET_STUDIO_STREAM_MIN_TRIPLETS;
    }
  } finally {
    db.close();
  }
}

export async function runTrainStreamBench(): Promise<void> {
  process.env.TRIPLET_STUDIO_BACKBONES ??= sharedModelsDir();
  const keep = process.env.TRAIN_BIG_STORES;
  const root = keep ?? mkdtempSync(join(tmpdir(), 'ts-bench-train-stream-'));
  mkdirSync(root, { recursive: true });
  try {
    if (RUNS) console.log(`${EPOCHS} epoch(s) per run through Project.train (defaults, seed 1), child process each (nice 10)`);
    if (RUNS) console.log('set             source  first step s  RSS at it MB  peak RSS MB  wall s  epochs s     load');
    const peaks: Record<string, number[]> = { memory: [], sqlite: [] };
    for (const size of RUNS ? SIZES : []) {
      const dir = buildStore(root, size);
      for (const [label, min] of [['memory', 1e12], ['sqlite', 1]] as const) {
        const r = await trainInChild(dir, min);
        if (r.tripletSource !== label) throw new Error(`expected the ${label} source, the run used ${r.tripletSource}`);
        peaks[label].push(r.peakRssMb);
        const epochs = r.epochSeconds.map((s) => s.toFixed(1)).join(' + ');
        console.log(
          `${String(size).padStart(9)} tr  ${label.padEnd(6)}  ${(r.firstStepSeconds ?? NaN).toFixed(1).padStart(12)}  ${(r.rssAtFirstStepMb ?? NaN).toFixed(0).padStart(12)}  ${r.peakRssMb.toFixed(0).padStart(11)}  ${r.seconds.toFixed(1).padStart(6)}  ${epochs.padStart(11)}  ${load()}`,
        );
      }
    }
    if (RUNS && SIZES.length > 1) {
      for (const label of ['memory', 'sqlite']) console.log(`peak RSS ${label}: ${peaks[label].map((x) => x.toFixed(0)).join(' → ')} MB over ${SIZES.join(' → ')} triplets`);
    }
    for (const size of RUNS ? [Math.max(...SIZES)] : SIZES) compareSampling(buildStore(root, size));
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}
