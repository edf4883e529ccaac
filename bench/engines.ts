// Every compute candidate on this machine, and what the choosers pick (`npm run bench -- engines`;
// issue 12.2). Runs unchanged on a CUDA machine and prints the same table there:
//   features  each feature-engine candidate (onnxruntime CPU/CUDA, tfjs tensorflow-gpu/tensorflow/
//             wasm) end to end through extractFeatures on N shared photos (`ENGINES_IMAGES`, default 60):
//             images/s and CPU s/image; MobileNet from the shared models, ResNet50 when installed in
//             the backbones folder (TRIPLET_STUDIO_BACKBONES or the app data folder).
//   training  each tfjs backend: encoder triplets/s at 768-d (fitEncoder, 2,400 triplets over 300
//             images, epoch 1 not counted), beside the chooser's own timing (one forward + backward
//             pass of 192 rows = 64 triplets).
// A candidate that cannot run gets a row saying why. The choosers run in a temporary app-data folder,
// so the user's remembered choice is untouched, and always measure afresh.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseTrainBackend } from '../src/main/ml/backend/train-choice.js';
import { initBackend, probeBackends } from '../src/main/ml/backend/tfjs.js';
import { backbonesDir, isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { fitEncoder } from '../src/main/ml/encoder/fit.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import { chooseFeatureEngine, engineCandidates, TIMING_ROWS } from '../src/main/ml/features/engine-choice.js';
import { extractFeatures } from '../src/main/ml/features/extract.js';
import type { BackendName } from '../src/shared/types.js';
import { sharedModelsDir } from '../test/helpers/shared.js';
import { photos } from './features.js';

interface Row {
  kind: 'features' | 'training';
  candidate: string;
  what: string;
  rate?: number;
  unit: string;
  cpu?: number;
  note: string;
}

const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;

/** One feature engine end to end over `n` photos (worker start, model load, decode, inference). */
async function featureRow(backbone: string, name: string, unavailable: string | undefined, n: number): Promise<Row> {
  const what = `${backbone}, ${n} photos`;
  if (unavailable) return { kind: 'features', candidate: name, what, unit: 'images/s', note: `unavailable: ${unavailable}` };
  try {
    const images = photos(n);
    const cpu0 = process.cpuUsage();
    let got = 0;
    const r = await extractFeatures({ backbone, images, engine: name, onBatch: (rows) => void (got += rows.length) });
    if (got !== n) throw new Error(`${got} of ${n} images extracted`);
    return { kind: 'features', candidate: name, what, rate: n / r.seconds, unit: 'images/s', cpu: cpuSeconds(process.cpuUsage(cpu0)) / n, note: `${r.engine}, ${r.workers} worker(s), start-up included` };
  } catch (err) {
    return { kind: 'features', candidate: name, what, unit: 'images/s', note: `failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Encoder triplets/s on `backend` at 768-d: 3 epochs of 2,400 triplets over 300 images, the first not counted. */
async function trainingRate(backend: BackendName): Promise<{ rate: number; cpu: number }> {
  await initBackend(backend);
  const rand = seededRandom(7);
  const dim = 768;
  const images = 300;
  const features = Float32Array.from({ length: images * dim }, () => Math.max(0, rand() * 2 - 0.5));
  const triplets = Int32Array.from({ length: 2400 * 3 }, () => Math.floor(rand() * images));
  const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, seed: 3, ensemble: 1, stepsPerEpoch: 0, derived: 0 };
  const cpuAt: number[] = [];
  const r = await fitEncoder({ dim, features, triplets, options }, { onEpoch: () => void cpuAt.push(cpuSeconds(process.cpuUsage())) });
  const timed = r.epochs.slice(1);
  const count = r.trainCount * timed.length;
  return { rate: count / timed.reduce((s, e) => s + e.seconds, 0), cpu: (cpuAt.at(-1)! - cpuAt[0]) / count };
}

async function trainingRows(): Promise<{ rows: Row[]; pick: string }> {
  const choice = await chooseTrainBackend({ remeasure: true });
  const statuses = await probeBackends();
  const rows: Row[] = [];
  for (const m of choice.measured) {
    const st = statuses.find((s) => s.name === m.name);
    const passNote = m.ms !== undefined ? `chooser: ${m.ms.toFixed(1)} ms per 64-triplet pass (${(64_000 / m.ms).toFixed(0)} triplets/s forward + backward only)` : '';
    if (!st && m.ms !== undefined) {
      // A candidate that is not a tfjs backend (e.g. an onnxruntime trainer): the chooser's own pass only.
      rows.push({ kind: 'training', candidate: m.name, what: '768-d encoder, chooser pass', rate: 64_000 / m.ms, unit: 'triplets/s', note: `${passNote}; no full-training run for non-tfjs candidates here` });
      continue;
    }
    if (m.error || !st?.available) {
      rows.push({ kind: 'training', candidate: m.name, what: '768-d encoder', unit: 'triplets/s', note: m.error ?? st?.reason ?? 'unavailable' });
      continue;
    }
    try {
      const t = await trainingRate(m.name as BackendName);
      rows.push({ kind: 'training', candidate: m.name, what: '768-d encoder, 2,400 triplets', rate: t.rate, unit: 'triplets/s', cpu: t.cpu, note: passNote || 'the only one that runs: not timed by the chooser' });
    } catch (err) {
      rows.push({ kind: 'training', candidate: m.name, what: '768-d encoder', unit: 'triplets/s', note: `failed: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return { rows, pick: `training → ${choice.chosen}: ${choice.why}` };
}

function print(rows: Row[]): void {
  console.log(`${'kind'.padEnd(10)}${'candidate'.padEnd(21)}${'measured on'.padEnd(36)}${'rate'.padEnd(22)}${'CPU s/item'.padEnd(12)}note`);
  for (const r of rows) {
    const rate = r.rate === undefined ? '—' : `${r.rate.toFixed(1)} ${r.unit}`;
    console.log(`${r.kind.padEnd(10)}${r.candidate.padEnd(21)}${r.what.padEnd(36)}${rate.padEnd(22)}${(r.cpu === undefined ? '' : r.cpu.toFixed(4)).padEnd(12)}${r.note}`);
  }
}

export async function runEnginesBench(): Promise<Row[]> {
  const saved = { data: process.env.TRIPLET_STUDIO_DATA, backbones: process.env.TRIPLET_STUDIO_BACKBONES };
  const userBackbones = backbonesDir(); // before the app-data folder is swapped for a temporary one
  const data = mkdtempSync(join(tmpdir(), 'ts-bench-engines-'));
  process.env.TRIPLET_STUDIO_DATA = data;
  const n = Number(process.env.ENGINES_IMAGES) || 60;
  const picks: string[] = [];
  const rows: Row[] = [];
  try {
    // MobileNet from the shared models; ResNet50 from the user's folder when installed there.
    const plan: { backbone: string; dir: string }[] = [{ backbone: 'mobilenet_v1_0.75_224', dir: sharedModelsDir() }];
    process.env.TRIPLET_STUDIO_BACKBONES = userBackbones;
    if (isBackboneInstalled('resnet50')) plan.push({ backbone: 'resnet50', dir: userBackbones });
    else rows.push({ kind: 'features', candidate: '(all)', what: 'resnet50', unit: 'images/s', note: `not installed in ${userBackbones} (triplet-studio fetch-backbone resnet50)` });
    for (const { backbone, dir } of plan) {
      process.env.TRIPLET_STUDIO_BACKBONES = dir;
      const choice = await chooseFeatureEngine(backbone, { remeasure: true, sample: photos(TIMING_ROWS).map((p) => p.path) });
      picks.push(`features of ${backbone} → ${choice.chosen}: ${choice.why}`);
      for (const c of await engineCandidates(backbone)) {
        const row = await featureRow(backbone, c.name, c.unavailable, n);
        const ms = choice.measured.find((m) => m.name === c.name)?.ms;
        if (ms !== undefined) row.note += `; engine alone ${((TIMING_ROWS * 1000) / ms).toFixed(1)} images/s (chooser)`;
        rows.push(row);
      }
    }
    const training = await trainingRows();
    rows.push(...training.rows);
    picks.push(training.pick);
    print(rows);
    console.log('\nThe choosers pick (measured now, as at first use on this machine):');
    for (const p of picks) console.log(`  ${p}`);
    console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; CPU s/item is this process's CPU time per image or triplet, all threads)`);
    return rows;
  } finally {
    rmSync(data, { recursive: true, force: true });
    for (const [k, v] of [['TRIPLET_STUDIO_DATA', saved.data], ['TRIPLET_STUDIO_BACKBONES', saved.backbones]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runEnginesBench();
