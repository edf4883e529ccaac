// Which resize (and orientation) to feed MobileNet: Keras-faithful nearest vs antialiased bilinear,
// chosen by cross-validation on train.txt only (the test splits are not read), on both shared sets.
// Folds are image-disjoint: images are dealt into K folds; a fold's validation triplets have all
// three images in it, its training triplets none (triplets straddling folds are unused for that
// fold). Each seed redraws the folds and seeds the trainer (current default options otherwise).
// Prints validation accuracy mean ± sd over seeds (pooled over folds), and the raw-feature baseline.
// Run alone: `node --import tsx bench/preprocess.ts [seeds]`; `npm run bench -- preprocess`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { backbonePath, isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { defaultTrainOptions } from '../src/main/ml/defaults.js';
import { l2normalize, scoreTriplets } from '../src/main/ml/encoder/distances.js';
import { extractFeatures } from '../src/main/ml/features/extract.js';
import { prepVersion, type ImagePrep } from '../src/main/ml/features/preprocess.js';
import { seededRandom } from '../src/main/ml/encoder/rng.js';
import { trainEncoder } from '../src/main/ml/encoder/train.js';
import { embedAll } from '../src/main/project/runs.js';
import { sharedDir, sharedModelsDir } from '../test/helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const FOLDS = 3;
type T = [number, number, number];

interface DataSet {
  name: string;
  images: { id: number; path: string }[];
  train: T[];
}

function loadSet(name: string): DataSet {
  const root = join(sharedDir(), 'datasets', name);
  const images: { id: number; path: string }[] = [];
  const idOf = new Map<string, number>();
  for (const c of readdirSync(join(root, 'images')).sort()) {
    for (const f of readdirSync(join(root, 'images', c)).sort()) {
      images.push({ id: images.length + 1, path: join(root, 'images', c, f) });
      idOf.set(f, images.length);
    }
  }
  const train = readFileSync(join(root, 'train.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map((n) => idOf.get(n.split('/').pop()!)!) as T);
  return { name, images, train };
}

async function featuresOf(set: DataSet, prep: ImagePrep): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>();
  await extractFeatures({ backbone: BACKBONE, images: set.images, prep, onBatch: (rows) => rows.forEach((r) => out.set(r.id, r.features.slice())) });
  return out;
}

/** Images whose EXIF orientation is not 1 (upright and raw differ only for these). */
async function rotatedCount(set: DataSet): Promise<number> {
  let n = 0;
  for (const im of set.images) if (((await sharp(im.path).metadata()).orientation ?? 1) !== 1) n++;
  return n;
}

/** Deals images into FOLDS folds with a seeded shuffle; returns each image's fold. */
function foldsOf(set: DataSet, seed: number): Map<number, number> {
  const rand = seededRandom(seed * 7919 + 17);
  const ids = set.images.map((i) => i.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return new Map(ids.map((id, i) => [id, i % FOLDS]));
}

const correct = (vectors: Map<number, Float32Array>, ts: T[]): number =>
  scoreTriplets(vectors, ts, 'l2').filter((s) => s.dAP < s.dAN).length;

/** Pooled validation accuracy over the folds of one seed: trained encoder and raw features. */
async function crossValidate(set: DataSet, features: Map<number, Float32Array>, seed: number): Promise<{ trained: number; raw: number; val: number }> {
  const fold = foldsOf(set, seed);
  const raw = new Map([...features].map(([id, v]) => [id, l2normalize(v)]));
  let hits = 0;
  let rawHits = 0;
  let total = 0;
  for (let f = 0; f < FOLDS; f++) {
    const val = set.train.filter((t) => t.every((id) => fold.get(id) === f));
    const train = set.train.filter((t) => t.every((id) => fold.get(id) !== f));
    const options = { ...defaultTrainOptions(), backbone: BACKBONE, seed };
    const enc = await trainEncoder({ dim: features.values().next().value!.length, features, train, options });
    const used = new Set(val.flat());
    const emb = embedAll(enc, new Map([...features].filter(([id]) => used.has(id))));
    hits += correct(emb, val);
    rawHits += correct(raw, val);
    total += val.length;
  }
  return { trained: hits / total, raw: rawHits / total, val: total };
}

const meanSd = (xs: number[]): string => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
};

export async function runPreprocessBench(seedCount = 5): Promise<void> {
  if (!isBackboneInstalled(BACKBONE)) process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  if (!isBackboneInstalled(BACKBONE)) {
    console.log(`skipped: ${BACKBONE} weights not found in ${backbonePath(BACKBONE)} or ${sharedModelsDir()}`);
    return;
  }
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const preps: ImagePrep[] = [
    { resize: 'antialias', exif: false },
    { resize: 'nearest', exif: false },
  ];
  console.log(`${BACKBONE}: ${FOLDS}-fold image-disjoint cross-validation on train.txt, seeds ${seeds.join(', ')}, default training options`);
  console.log('set      preprocessing        encoder (val acc)   raw features        val triplets/seed');
  for (const name of ['flowers', 'trash']) {
    const set = loadSet(name);
    const rotated = await rotatedCount(set);
    // +exif changes pixels only for rotated images: measured only when there are any.
    const variants = rotated > 0 ? [...preps, ...preps.map((p) => ({ ...p, exif: true }))] : preps;
    const bySeed = new Map<string, number[]>();
    for (const prep of variants) {
      const features = await featuresOf(set, prep);
      const runs = [];
      for (const seed of seeds) runs.push(await crossValidate(set, features, seed));
      bySeed.set(prepVersion(prep), runs.map((r) => r.trained));
      const cells = [meanSd(runs.map((r) => r.trained)), meanSd(runs.map((r) => r.raw)), String(Math.round(runs.reduce((a, r) => a + r.val, 0) / runs.length))];
      console.log(`${name.padEnd(8)} ${prepVersion(prep).padEnd(20)} ${cells[0].padEnd(19)} ${cells[1].padEnd(19)} ${cells[2]}`);
    }
    // Same folds and training seed for every variant, so the per-seed difference is paired.
    const [a, n] = [bySeed.get('antialias-v1')!, bySeed.get('keras-nearest-v1')!];
    console.log(`${name.padEnd(8)} ${'nearest − antialias'.padEnd(20)} ${meanSd(n.map((x, i) => x - a[i]))} (paired by seed)`);
    if (rotated === 0) console.log(`${name.padEnd(8)} (+exif: no image has an EXIF orientation other than 1, so upright = raw pixels; not a separate row)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPreprocessBench(Number(process.argv[2]) || 5);
