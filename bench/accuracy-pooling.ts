// Pooling variants of MobileNet's last feature map (conv_pw_13_relu, 7×7×768) for the accuracy
// bench: average (what the product uses), max, and generalised mean (GeM, p = 3). Computed with the
// tfjs layers model (same weights and preprocessing as the product) and cached in
// .tmp/accuracy/<set>-pool.bin; plain features only (no flips).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type * as tfTypes from '@tensorflow/tfjs';
import { backboneSpec, backbonePath, fileSystemHandler } from '../src/main/ml/backbone/registry.js';
import { initBackend, tf } from '../src/main/ml/backend/tfjs.js';
import { applyPreprocessing, decodeRgb } from '../src/main/ml/features/preprocess.js';
import { BACKBONE, sharedDir } from './accuracy-data.js';

export const POOLINGS = ['avg', 'max', 'gem3', 'avgmax', 'crop'] as const;
export type Pooling = (typeof POOLINGS)[number];

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const cacheFile = (set: string, crop: boolean): string => join(repoRoot, '.tmp', 'accuracy', `${set}-${crop ? 'crop' : 'pool'}.bin`);

/** Centre crop to a square (sharp fit 'cover'), then the same antialiased resize as the product. */
async function decodeCropped(path: string, size: number): Promise<Uint8Array> {
  const { data } = await sharp(path, { failOn: 'error' }).removeAlpha().toColourspace('srgb').resize(size, size, { fit: 'cover', position: 'centre', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** n × 768 per pooling (avg, max, gem3), computed once per set (crop: avg of centre-cropped images). */
async function computeMaps(paths: string[], crop = false): Promise<Float32Array[]> {
  const spec = backboneSpec(BACKBONE);
  await initBackend('wasm');
  const full = await tf.loadLayersModel(fileSystemHandler(join(backbonePath(BACKBONE), 'model.json')));
  const truncated = tf.model({ inputs: full.inputs, outputs: full.getLayer(spec.featureLayer).output as tfTypes.SymbolicTensor });
  const size = spec.inputSize;
  const px = size * size * 3;
  const parts: Float32Array[][] = [[], [], []];
  for (let i = 0; i < paths.length; i += 8) {
    const chunk = paths.slice(i, i + 8);
    const rgbs = await Promise.all(chunk.map((p) => (crop ? decodeCropped(p, size) : decodeRgb(p, size))));
    const batch = new Float32Array(chunk.length * px);
    rgbs.forEach((r, k) => applyPreprocessing(r, spec.preprocessing, batch, k * px));
    const outs = tf.tidy(() => {
      const y = truncated.predict(tf.tensor4d(batch, [chunk.length, size, size, 3])) as tfTypes.Tensor4D;
      const gem = tf.pow(tf.mean(tf.pow(tf.maximum(y, 1e-6), 3), [1, 2]), 1 / 3);
      return [tf.mean(y, [1, 2]), tf.max(y, [1, 2]), gem];
    });
    for (let k = 0; k < 3; k++) parts[k].push(new Float32Array(await outs[k].data()));
    outs.forEach((o) => o.dispose());
  }
  full.dispose();
  return parts.map((ps) => {
    const o = new Float32Array(ps.reduce((s, x) => s + x.length, 0));
    let off = 0;
    for (const x of ps) (o.set(x, off), (off += x.length));
    return o;
  });
}

/** The set's features under `pooling` (rows as in loadAccuracySet: names sorted by class then file). */
export async function pooledFeatures(set: string, names: string[], pooling: Pooling): Promise<{ plain: Float32Array; dim: number }> {
  const crop = pooling === 'crop';
  const file = cacheFile(set, crop);
  let maps: Float32Array[];
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const per = all.length / 3;
    maps = [0, 1, 2].map((k) => all.slice(k * per, (k + 1) * per));
  } else {
    maps = await computeMaps(names.map((n) => join(sharedDir, 'datasets', set, 'images', n)), crop);
    mkdirSync(join(file, '..'), { recursive: true });
    const all = new Float32Array(maps[0].length * 3);
    maps.forEach((m, k) => all.set(m, k * m.length));
    writeFileSync(file, Buffer.from(all.buffer));
  }
  const n = names.length;
  const dim = maps[0].length / n;
  if (pooling === 'avgmax') {
    const out = new Float32Array(n * 2 * dim);
    for (let r = 0; r < n; r++) (out.set(maps[0].subarray(r * dim, (r + 1) * dim), r * 2 * dim), out.set(maps[1].subarray(r * dim, (r + 1) * dim), r * 2 * dim + dim));
    return { plain: out, dim: 2 * dim };
  }
  return { plain: maps[crop ? 0 : POOLINGS.indexOf(pooling)], dim };
}
