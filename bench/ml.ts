// ML benchmark: backbone feature throughput per backend × backbone, and encoder training speed of
// the customGrad dense layer vs stock tf.layers.dense on the same data.
// Run alone: `node --import tsx bench/ml.ts [train] [features]`; `npm run bench` calls runMlBench().
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, probeBackends } from '../src/main/ml/backend/tfjs.js';
import { BACKBONES, isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { extractFeatures } from '../src/main/ml/features/extract.js';
import { fitEncoder } from '../src/main/ml/encoder/fit.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import type { BackendName } from '../src/shared/types.js';

export interface MlBenchRow {
  what: string;
  backend: string;
  detail: string;
  value: number;
  unit: string;
  note?: string;
}

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const shared = process.env.TRIPLET_STUDIO_SHARED ? resolve(process.env.TRIPLET_STUDIO_SHARED) : resolve(repoRoot, '..', 'shared');
/** Stock tf.layers dense training speed measured before this engine existed (wasm, triplets/s). */
const BASELINE_TPS = 98;

function flowerImages(): { id: number; path: string }[] {
  const root = join(shared, 'datasets', 'flowers', 'images');
  if (!existsSync(root)) return [];
  const out: { id: number; path: string }[] = [];
  for (const c of readdirSync(root).sort()) for (const f of readdirSync(join(root, c)).sort()) out.push({ id: out.length + 1, path: join(root, c, f) });
  return out;
}

/** Where a backbone's weights are for the bench: the configured folder, else ../shared/models. */
function backboneRoot(id: string): string | null {
  if (isBackboneInstalled(id)) return process.env.TRIPLET_STUDIO_BACKBONES ?? null;
  const sharedModels = join(shared, 'models');
  return existsSync(join(sharedModels, id, 'model.json')) ? sharedModels : null;
}

/** How many images to time: the plain cpu backend is ~30× slower, ResNet ~10× slower than MobileNet. */
function imageCount(backend: BackendName, backbone: string): number {
  const heavy = backbone === 'resnet50';
  if (backend === 'cpu') return 2;
  return heavy ? 16 : 96;
}

interface FeatureConfig {
  backend: BackendName;
  /** 'tfjs' forces the built-in tfjs-layers engine (TRIPLET_STUDIO_ENGINE); undefined = default engine choice. */
  engine?: 'tfjs';
}

async function featureRows(): Promise<MlBenchRow[]> {
  const rows: MlBenchRow[] = [];
  const images = flowerImages();
  if (!images.length) {
    console.log(`(features skipped: no images under ${shared}/datasets/flowers)`);
    return rows;
  }
  const available = (await probeBackends()).filter((s) => s.available).map((s) => s.name);
  // The default engine (e.g. onnxruntime when installed) once, then tfjs-layers on every tfjs backend.
  const configs: FeatureConfig[] = [{ backend: available[0] }, ...available.map((backend) => ({ backend, engine: 'tfjs' as const }))];
  const saved = { backbones: process.env.TRIPLET_STUDIO_BACKBONES, engine: process.env.TRIPLET_STUDIO_ENGINE };
  try {
    for (const id of Object.keys(BACKBONES)) {
      const root = backboneRoot(id);
      if (root === null && !isBackboneInstalled(id)) {
        console.log(`(${id}: weights absent, skipped)`);
        continue;
      }
      if (root) process.env.TRIPLET_STUDIO_BACKBONES = root;
      const seen = new Set<string>();
      for (const cfg of configs) {
        if (cfg.engine) process.env.TRIPLET_STUDIO_ENGINE = cfg.engine;
        else delete process.env.TRIPLET_STUDIO_ENGINE;
        const n = imageCount(cfg.backend, id);
        let first = 0;
        let firstCount = 0;
        let last = 0;
        let count = 0;
        const r = await extractFeatures({
          backbone: id,
          backend: cfg.backend,
          images: images.slice(0, n),
          batchSize: cfg.backend === 'cpu' ? 1 : 8,
          onBatch: (b) => {
            count += b.length;
            last = performance.now();
            if (!first) {
              first = last;
              firstCount = count;
            }
          },
        });
        const key = `${r.engine}|${r.backend}`;
        const steady = count > firstCount && last > first ? (count - firstCount) / ((last - first) / 1000) : NaN;
        if (!seen.has(key)) {
          rows.push({ what: 'features', backend: r.backend, detail: `${id}, ${r.engine}, ${n} images, ${r.workers} workers`, value: n / r.seconds, unit: 'images/s', note: `incl. start-up; steady ${steady.toFixed(2)}/s` });
        }
        seen.add(key);
      }
    }
  } finally {
    for (const [k, v] of [['TRIPLET_STUDIO_BACKBONES', saved.backbones], ['TRIPLET_STUDIO_ENGINE', saved.engine]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return rows;
}

/** Random features and triplets shaped like flowers (300 images, 1200 triplets). */
function syntheticData(dim: number): { features: Float32Array; triplets: Int32Array } {
  const rand = seededRandom(7);
  const features = Float32Array.from({ length: 300 * dim }, () => Math.max(0, rand() * 2 - 0.5));
  const triplets = Int32Array.from({ length: 1200 * 3 }, () => Math.floor(rand() * 300));
  return { features, triplets };
}

async function trainingRows(): Promise<MlBenchRow[]> {
  const rows: MlBenchRow[] = [];
  const { used } = await initBackend('wasm');
  for (const dim of [768, 2048]) {
    const data = syntheticData(dim);
    // Epoch 1 warms up (kernel set-up, first allocations) and is not counted; epoch times include
    // the small validation pass, as in real training.
    const options = { ...DEFAULT_TRAIN_OPTIONS, epochs: 4, seed: 3, ensemble: 1 }; // triplets/s of one encoder
    const tps: Record<string, number> = {};
    for (const impl of ['fast', 'layers'] as const) {
      const r = await fitEncoder({ dim, ...data, options, impl });
      const timed = r.epochs.slice(1);
      tps[impl] = (r.trainCount * timed.length) / timed.reduce((s, e) => s + e.seconds, 0);
      rows.push({ what: 'train', backend: used, detail: `${impl === 'fast' ? 'customGrad dense' : 'tf.layers.dense'}, dim ${dim}, batch ${options.batchSize}`, value: tps[impl], unit: 'triplets/s' });
    }
    rows.push({ what: 'train ratio', backend: used, detail: `customGrad / tf.layers, dim ${dim}`, value: tps.fast / tps.layers, unit: '×', note: `vs ${BASELINE_TPS}/s baseline: ${(tps.fast / BASELINE_TPS).toFixed(1)}× (target ≥ 5×)` });
  }
  return rows;
}

export type MlBenchPart = 'train' | 'features';

/** Runs the given parts (default both), prints one table and returns its rows. */
export async function runMlBench(parts: MlBenchPart[] = ['train', 'features']): Promise<MlBenchRow[]> {
  const rows = [...(parts.includes('train') ? await trainingRows() : []), ...(parts.includes('features') ? await featureRows() : [])];
  console.table(rows.map((r) => ({ what: r.what, backend: r.backend, detail: r.detail, value: Number(r.value.toFixed(2)), unit: r.unit, note: r.note ?? '' })));
  return rows;
}

// `node --import tsx bench/ml.ts [train] [features]`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const parts = process.argv.slice(2).filter((a): a is MlBenchPart => a === 'train' || a === 'features');
  await runMlBench(parts.length ? parts : undefined);
}
