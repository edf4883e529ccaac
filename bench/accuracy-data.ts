// Data for the accuracy bench: a shared set's triplets (train/test, by image index) and MobileNet
// features of every image, plain and horizontally flipped, cached in .tmp/accuracy/<set>.bin after
// the first run (features are a pure function of the image bytes and the backbone).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backboneSpec, createFeatureEngine } from '../src/main/ml/backbone/registry.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { applyPreprocessing, decodeRgb } from '../src/main/ml/features/preprocess.js';

export interface AccuracySet {
  name: string;
  dim: number;
  /** Image names (path relative to images/), index = row. */
  names: string[];
  /** n × dim features of the images as they are, and of their mirror images. */
  plain: Float32Array;
  flipped: Float32Array;
  train: Int32Array;
  test: Int32Array;
}

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
export const sharedDir = process.env.TRIPLET_STUDIO_SHARED ? resolve(process.env.TRIPLET_STUDIO_SHARED) : resolve(repoRoot, '..', 'shared');
const cacheDir = join(repoRoot, '.tmp', 'accuracy');
export const BACKBONE = 'mobilenet_v1_0.75_224';

function listImages(root: string): string[] {
  const out: string[] = [];
  for (const c of readdirSync(root).sort()) for (const f of readdirSync(join(root, c)).sort()) out.push(`${c}/${f}`);
  return out;
}

/** Triplet file → row indices (names are file names, unique within a set). */
function readTriplets(file: string, rowOf: Map<string, number>): Int32Array {
  const out: number[] = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const parts = t.split(/\s+/);
    for (const p of parts) {
      const r = rowOf.get(p);
      if (r === undefined) throw new Error(`${file}:${i + 1}: unknown image ${p}`);
      out.push(r);
    }
  });
  return Int32Array.from(out);
}

/** Mirrors an HWC RGB image left to right. */
export function flipRgb(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 3;
      const d = (y * size + size - 1 - x) * 3;
      out[d] = rgb[s];
      out[d + 1] = rgb[s + 1];
      out[d + 2] = rgb[s + 2];
    }
  return out;
}

async function computeFeatures(paths: string[]): Promise<{ plain: Float32Array; flipped: Float32Array; dim: number }> {
  const spec = backboneSpec(BACKBONE);
  const { used } = await initBackend();
  const engine = await createFeatureEngine(BACKBONE, used, 1);
  const px = spec.inputSize * spec.inputSize * 3;
  const plain: Float32Array[] = [];
  const flipped: Float32Array[] = [];
  const B = 16;
  for (let i = 0; i < paths.length; i += B) {
    const chunk = paths.slice(i, i + B);
    const rgbs = await Promise.all(chunk.map((p) => decodeRgb(p, spec.inputSize)));
    for (const [out, tx] of [[plain, (r: Uint8Array) => r], [flipped, (r: Uint8Array) => flipRgb(r, spec.inputSize)]] as const) {
      const batch = new Float32Array(chunk.length * px);
      rgbs.forEach((r, k) => applyPreprocessing(tx(r), spec.preprocessing, batch, k * px));
      out.push(new Float32Array(await engine.run(batch, chunk.length)));
    }
  }
  await engine.dispose?.();
  const cat = (xs: Float32Array[]): Float32Array => {
    const o = new Float32Array(xs.reduce((s, x) => s + x.length, 0));
    let off = 0;
    for (const x of xs) (o.set(x, off), (off += x.length));
    return o;
  };
  return { plain: cat(plain), flipped: cat(flipped), dim: spec.dim };
}

/**
 * Several sets as one project ("flowers+trash": 660 photos, 11 kinds): names get their set as a
 * prefix (`flowers:daisy/…`, so the kind stays the folder) and the triplets' rows are offset. A
 * bigger project where 300 lines leave many images loose and kinds split into several groups.
 */
function combineSets(sets: AccuracySet[]): AccuracySet {
  const offsets = sets.map((_, i) => sets.slice(0, i).reduce((n, s) => n + s.names.length, 0));
  const joinRows = (pick: (s: AccuracySet) => Int32Array): Int32Array => Int32Array.from(sets.flatMap((s, i) => [...pick(s)].map((r) => r + offsets[i])));
  const joinFloats = (pick: (s: AccuracySet) => Float32Array): Float32Array => {
    const out = new Float32Array(sets.reduce((n, s) => n + pick(s).length, 0));
    sets.reduce((off, s) => (out.set(pick(s), off), off + pick(s).length), 0);
    return out;
  };
  if (sets.some((s) => s.dim !== sets[0].dim)) throw new Error('sets of different feature sizes');
  return {
    name: sets.map((s) => s.name).join('+'),
    dim: sets[0].dim,
    names: sets.flatMap((s) => s.names.map((n) => `${s.name}:${n}`)),
    plain: joinFloats((s) => s.plain),
    flipped: joinFloats((s) => s.flipped),
    train: joinRows((s) => s.train),
    test: joinRows((s) => s.test),
  };
}

/** Loads a shared set with features (computed once, ~10 s per set, then read from the cache); `a+b` joins sets. */
export async function loadAccuracySet(name: string): Promise<AccuracySet | null> {
  if (name.includes('+')) {
    const sets = await Promise.all(name.split('+').map(loadAccuracySet));
    return sets.every((s) => s) ? combineSets(sets as AccuracySet[]) : null;
  }
  const root = join(sharedDir, 'datasets', name);
  if (!existsSync(join(root, 'train.txt'))) return null;
  const names = listImages(join(root, 'images'));
  const rowOf = new Map<string, number>();
  names.forEach((n, i) => (rowOf.set(n, i), rowOf.set(n.split('/')[1], i)));
  const train = readTriplets(join(root, 'train.txt'), rowOf);
  const test = readTriplets(join(root, 'test.txt'), rowOf);
  const file = join(cacheDir, `${name}-${BACKBONE}.bin`);
  let feats: { plain: Float32Array; flipped: Float32Array; dim: number };
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const dim = all.length / (2 * names.length);
    feats = { dim, plain: all.subarray(0, names.length * dim), flipped: all.subarray(names.length * dim) };
  } else {
    feats = await computeFeatures(names.map((n) => join(root, 'images', n)));
    mkdirSync(cacheDir, { recursive: true });
    const all = new Float32Array(feats.plain.length * 2);
    all.set(feats.plain);
    all.set(feats.flipped, feats.plain.length);
    writeFileSync(file, Buffer.from(all.buffer));
  }
  return { name, names, train, test, ...feats };
}
