// Keras ResNet50 h5 → tfjs layers folder (model.json + shards), once, with plain fs.
// The topology comes from the in-code architecture; the weights are matched to it by Keras name,
// so a file for another architecture fails with the names that do not fit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../backend/tfjs.js';
import { AppError } from '../../../shared/errors.js';
import { writeLayersFolder, type WeightSpec } from './layers-folder.js';
import { buildResNet50 } from '../backbone/resnet50/arch.js';
import { readKerasH5, type NamedWeight } from './h5.js';

export interface ConvertInfo {
  /** Where the weights came from and their checksums, recorded in source.json. */
  source: Record<string, unknown>;
}

/** Orders `weights` like the model's variables, checking every name and shape. */
export function matchWeights(model: tf.LayersModel, weights: NamedWeight[], origin: string): NamedWeight[] {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const ordered: NamedWeight[] = [];
  const missing: string[] = [];
  for (const v of model.weights) {
    const w = byName.get(v.originalName);
    if (!w) {
      missing.push(v.originalName);
      continue;
    }
    if (w.shape.join('x') !== v.shape.join('x')) {
      throw new AppError('INVALID_FILE', `${origin}: ${v.originalName} has shape [${w.shape}], ResNet50 needs [${v.shape}].`);
    }
    ordered.push(w);
    byName.delete(v.originalName);
  }
  if (missing.length > 0) {
    throw new AppError(
      'INVALID_FILE',
      `${origin} is not a Keras ResNet50 weight file: ${missing.length} weights missing (first: ${missing.slice(0, 3).join(', ')}).`,
    );
  }
  // Extra weights (e.g. the 1000-class `probs` layer of the with-top file) are ignored.
  return ordered;
}

/** Converts `h5Path` into `outDir` (which must exist and be empty). */
export async function convertResNet50H5(h5Path: string, outDir: string, info: ConvertInfo = { source: {} }): Promise<void> {
  writeResNet50Folder(await readKerasH5(h5Path), outDir, info, h5Path);
}

/** Writes Keras-named ResNet50 weights as a tfjs layers folder (model.json + shards + source.json). */
export function writeResNet50Folder(weights: NamedWeight[], outDir: string, info: ConvertInfo = { source: {} }, origin = 'weights'): void {
  const model = buildResNet50(tf);
  try {
    const ordered = matchWeights(model, weights, origin);
    const specs: WeightSpec[] = ordered.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' }));
    const total = ordered.reduce((n, w) => n + w.data.length, 0);
    const data = new Float32Array(total);
    let off = 0;
    for (const w of ordered) {
      data.set(w.data, off);
      off += w.data.length;
    }
    writeLayersFolder(outDir, model.toJSON(null, false), specs, data.buffer);
    writeFileSync(join(outDir, 'source.json'), JSON.stringify({ ...info.source, convertedAt: new Date().toISOString() }, null, 2));
  } finally {
    model.dispose();
  }
}
