// Seeded random ResNet50 weights with realistic BatchNorm statistics, in Keras's h5 layer layout.
// For tests (the real ImageNet file is not available offline) and for speed benchmarks (compute
// time does not depend on the weight values). Activations stay finite and O(1) through all 16 blocks.
import type * as tfNs from '@tensorflow/tfjs';
import { buildResNet50, resnet50LayerNames } from './arch.js';
import type { NamedWeight } from './h5.js';
import { seededRandom as rng } from '../rng.js';

function uniform(n: number, lo: number, hi: number, r: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/**
 * Weights for every layer of resnet50LayerNames(), in that order (weightless layers get []).
 * Kernels: He-uniform (variance 2/fan_in). BN: moving stats around (0, 1), gamma ≈ 0.5–1, and the
 * residual branch's last BN scaled down (0.1–0.3) so the sum over blocks grows slowly.
 */
export function seededResNet50Weights(seed = 1): Array<{ layer: string; weights: NamedWeight[] }> {
  const r = rng(seed);
  // Shapes come from the in-code model's own layer definitions, not from a second table.
  const shapes = resnet50WeightShapes();
  return resnet50LayerNames().map((layer) => {
    const weights: NamedWeight[] = [];
    if (layer.endsWith('_conv')) {
      const k = shapes.get(`${layer}/kernel`)!;
      const fanIn = k[0] * k[1] * k[2];
      const a = Math.sqrt(6 / fanIn);
      const n = k.reduce((x, y) => x * y, 1);
      weights.push({ name: `${layer}/kernel`, shape: k, data: uniform(n, -a, a, r) });
      weights.push({ name: `${layer}/bias`, shape: [k[3]], data: uniform(k[3], -0.05, 0.05, r) });
    } else if (layer.endsWith('_bn')) {
      const c = shapes.get(`${layer}/gamma`)![0];
      const residualEnd = /_3_bn$/.test(layer);
      const [glo, ghi] = residualEnd ? [0.1, 0.3] : [0.5, 1.0];
      weights.push({ name: `${layer}/gamma`, shape: [c], data: uniform(c, glo, ghi, r) });
      weights.push({ name: `${layer}/beta`, shape: [c], data: uniform(c, -0.1, 0.1, r) });
      weights.push({ name: `${layer}/moving_mean`, shape: [c], data: uniform(c, -0.2, 0.2, r) });
      weights.push({ name: `${layer}/moving_variance`, shape: [c], data: uniform(c, 0.5, 1.5, r) });
    }
    return { layer, weights };
  });
}

let shapeCache: Map<string, number[]> | null = null;

/** Weight shapes by tfjs name, computed from the architecture's layer configs (no tensors allocated). */
export function resnet50WeightShapes(): Map<string, number[]> {
  if (shapeCache) return shapeCache;
  const shapes = new Map<string, number[]>();
  // Channels flowing into each conv follow Keras's stage layout: track them while walking the names.
  let channels = 3;
  const stageOut = new Map<string, number>();
  for (const name of resnet50LayerNames()) {
    const m = /^conv(\d)_block(\d+)_(\d)_conv$/.exec(name);
    if (name === 'conv1_conv') {
      shapes.set(`${name}/kernel`, [7, 7, 3, 64]);
      channels = 64;
    } else if (m) {
      const stage = Number(m[1]);
      const filters = 64 * 2 ** (stage - 2);
      const block = Number(m[2]);
      const part = Number(m[3]);
      const blockIn = block === 1 ? (stageOut.get(`conv${stage - 1}`) ?? 64) : 4 * filters;
      if (part === 0) shapes.set(`${name}/kernel`, [1, 1, blockIn, 4 * filters]);
      if (part === 1) shapes.set(`${name}/kernel`, [1, 1, blockIn, filters]);
      if (part === 2) shapes.set(`${name}/kernel`, [3, 3, filters, filters]);
      if (part === 3) shapes.set(`${name}/kernel`, [1, 1, filters, 4 * filters]);
      channels = part === 0 || part === 3 ? 4 * filters : filters;
      stageOut.set(`conv${stage}`, 4 * filters);
    } else if (name.endsWith('_bn')) {
      shapes.set(`${name}/gamma`, [channels]);
    }
  }
  shapeCache = shapes;
  return shapes;
}

/** The same weights loaded straight into the in-code model (no h5, no conversion). */
export function seededResNet50Model(tf: typeof tfNs, seed = 1): tfNs.LayersModel {
  const model = buildResNet50(tf);
  const byName = new Map(seededResNet50Weights(seed).flatMap((l) => l.weights).map((w) => [w.name, w]));
  const values = model.weights.map((v) => {
    const w = byName.get(v.originalName);
    if (!w) throw new Error(`seeded weights lack ${v.originalName}`);
    return tf.tensor(w.data, w.shape);
  });
  model.setWeights(values);
  for (const t of values) t.dispose();
  return model;
}
