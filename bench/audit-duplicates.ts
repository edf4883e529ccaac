// The near-duplicate threshold of the audit (project/audit-checks.ts NEAR_DUPLICATE_DISTANCE):
// cosine distances of MobileNet features between a photo and an edited copy of it (JPEG re-encode,
// half size, 5% crop, all three), against the nearest-neighbour distances between distinct photos.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { backboneSpec, createFeatureEngine } from '../src/main/ml/backbone/registry.js';
import { initBackend } from '../src/main/ml/backend/tfjs.js';
import { applyPreprocessing, decodeRgb } from '../src/main/ml/features/preprocess.js';
import { BACKBONE, loadAccuracySet, sharedDir } from './accuracy-data.js';

type Edit = { name: string; apply: (s: Sharp, w: number, h: number) => Sharp };
const EDITS: Edit[] = [
  { name: 'jpeg q60', apply: (s) => s.jpeg({ quality: 60 }) },
  { name: 'half size', apply: (s, w, h) => s.resize(Math.round(w / 2), Math.round(h / 2)).jpeg({ quality: 90 }) },
  { name: 'crop 5%', apply: (s, w, h) => s.extract({ left: Math.round(w * 0.025), top: Math.round(h * 0.025), width: Math.round(w * 0.95), height: Math.round(h * 0.95) }).jpeg({ quality: 90 }) },
  { name: 'all three', apply: (s, w, h) => s.extract({ left: Math.round(w * 0.025), top: Math.round(h * 0.025), width: Math.round(w * 0.95), height: Math.round(h * 0.95) }).resize(Math.round(w / 2)).jpeg({ quality: 60 }) },
];

const unit = (v: Float32Array): Float32Array => {
  let s = 0;
  for (const x of v) s += x * x;
  return v.map((x) => x / Math.sqrt(s));
};
const cosDist = (a: Float32Array, b: Float32Array): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return 1 - d;
};
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

export async function runAuditDuplicatesBench(perSet = 30): Promise<void> {
  const spec = backboneSpec(BACKBONE);
  const { used } = await initBackend();
  const engine = await createFeatureEngine(BACKBONE, used, 1);
  const px = spec.inputSize * spec.inputSize * 3;
  const embed = async (path: string): Promise<Float32Array> => {
    const batch = new Float32Array(px);
    applyPreprocessing(await decodeRgb(path, spec.inputSize), spec.preprocessing, batch, 0);
    return unit(new Float32Array(await engine.run(batch, 1)));
  };
  const tmp = mkdtempSync(join(tmpdir(), 'audit-dup-'));
  try {
    for (const name of ['flowers', 'trash']) {
      const set = await loadAccuracySet(name);
      if (!set) continue;
      const rows = Array.from({ length: set.names.length }, (_, i) => unit(set.plain.subarray(i * set.dim, (i + 1) * set.dim)));
      const nearest = rows.map((r, i) => Math.min(...rows.map((o, j) => (i === j ? Infinity : cosDist(r, o)))));
      console.log(`${name}: nearest distinct photo  min ${Math.min(...nearest).toFixed(3)}  0.1% ${quantile(nearest, 0.001).toFixed(3)}  1% ${quantile(nearest, 0.01).toFixed(3)}  median ${quantile(nearest, 0.5).toFixed(3)}`);
      const step = Math.max(1, Math.floor(set.names.length / perSet));
      for (const edit of EDITS) {
        const ds: number[] = [];
        for (let i = 0; i < set.names.length && ds.length < perSet; i += step) {
          const src = join(sharedDir, 'datasets', name, 'images', set.names[i]);
          const meta = await sharp(src).metadata();
          const out = join(tmp, `${name}-${i}.jpg`);
          await edit.apply(sharp(src), meta.width!, meta.height!).toFile(out);
          ds.push(cosDist(await embed(src), await embed(out)));
        }
        console.log(`${name}: ${edit.name.padEnd(10)} copy distance  median ${quantile(ds, 0.5).toFixed(3)}  max ${Math.max(...ds).toFixed(3)}  (${ds.length} photos)`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await engine.dispose?.();
  }
}
