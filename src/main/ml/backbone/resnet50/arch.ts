// Keras's ResNet50 (keras.applications.resnet, TF2 layout) rebuilt with tf.layers, layer for layer
// and name for name, so Keras's ImageNet weight file maps onto it without a rename table.
// include_top=False, pooling='avg': the output is `avg_pool`, 2048-d.
import type * as tfNs from '@tensorflow/tfjs';

/** Keras uses this BN epsilon in keras.applications.resnet (not the 1e-3 default). */
export const RESNET_BN_EPSILON = 1.001e-5;

/** (stage name, filters, blocks, stride of block 1) as in Keras's ResNet50 stack_fn. */
export const RESNET50_STAGES: ReadonlyArray<readonly [string, number, number, number]> = [
  ['conv2', 64, 3, 1],
  ['conv3', 128, 4, 2],
  ['conv4', 256, 6, 2],
  ['conv5', 512, 3, 2],
];

export const RESNET50_INPUT_NAME = 'input_1';
export const RESNET50_OUTPUT_NAME = 'avg_pool';

/** Names of every layer that carries weights (conv or BN), in build order. */
export function resnet50WeightLayerNames(): string[] {
  return resnet50LayerNames().filter((n) => /_(conv|bn)$/.test(n));
}

/**
 * All layer names in the order this module creates them (Keras's order within a block1 differs:
 * Keras lists the `_0_` shortcut layers interleaved; names and graph are identical).
 */
export function resnet50LayerNames(): string[] {
  const names = [RESNET50_INPUT_NAME, 'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool'];
  for (const [stage, , blocks] of RESNET50_STAGES) {
    for (let b = 1; b <= blocks; b++) {
      const p = `${stage}_block${b}`;
      if (b === 1) names.push(`${p}_0_conv`, `${p}_0_bn`);
      names.push(`${p}_1_conv`, `${p}_1_bn`, `${p}_1_relu`, `${p}_2_conv`, `${p}_2_bn`, `${p}_2_relu`);
      names.push(`${p}_3_conv`, `${p}_3_bn`, `${p}_add`, `${p}_out`);
    }
  }
  names.push(RESNET50_OUTPUT_NAME);
  return names;
}

/** Builds the (untrained) model; `tf` is passed in so callers choose the tfjs instance/backend. */
export function buildResNet50(tf: typeof tfNs, inputSize = 224): tfNs.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: RESNET50_INPUT_NAME });
  let x = tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(input) as tfNs.SymbolicTensor;
  x = conv(tf, x, 64, 7, 2, 'conv1_conv', 'valid');
  x = bn(tf, x, 'conv1_bn');
  x = relu(tf, x, 'conv1_relu');
  x = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x) as tfNs.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as tfNs.SymbolicTensor;
  for (const [stage, filters, blocks, stride] of RESNET50_STAGES) {
    x = block(tf, x, filters, stride, true, `${stage}_block1`);
    for (let b = 2; b <= blocks; b++) x = block(tf, x, filters, 1, false, `${stage}_block${b}`);
  }
  const out = tf.layers.globalAveragePooling2d({ name: RESNET50_OUTPUT_NAME }).apply(x) as tfNs.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'resnet50' });
}

/** Keras resnet.block1: bottleneck 1×1 (stride here, as in Keras v1) → 3×3 → 1×1, plus shortcut. */
function block(
  tf: typeof tfNs,
  x: tfNs.SymbolicTensor,
  filters: number,
  stride: number,
  convShortcut: boolean,
  name: string,
): tfNs.SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = conv(tf, x, 4 * filters, 1, stride, `${name}_0_conv`, 'valid');
    shortcut = bn(tf, shortcut, `${name}_0_bn`);
  }
  let y = conv(tf, x, filters, 1, stride, `${name}_1_conv`, 'valid');
  y = relu(tf, bn(tf, y, `${name}_1_bn`), `${name}_1_relu`);
  y = conv(tf, y, filters, 3, 1, `${name}_2_conv`, 'same');
  y = relu(tf, bn(tf, y, `${name}_2_bn`), `${name}_2_relu`);
  y = conv(tf, y, 4 * filters, 1, 1, `${name}_3_conv`, 'valid');
  y = bn(tf, y, `${name}_3_bn`);
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tfNs.SymbolicTensor;
  return relu(tf, sum, `${name}_out`);
}

function conv(
  tf: typeof tfNs,
  x: tfNs.SymbolicTensor,
  filters: number,
  kernel: number,
  stride: number,
  name: string,
  padding: 'valid' | 'same',
): tfNs.SymbolicTensor {
  // Zero initialisers: building must be cheap, the real weights are always loaded afterwards.
  return tf.layers
    .conv2d({ filters, kernelSize: kernel, strides: stride, padding, useBias: true, name, kernelInitializer: 'zeros' })
    .apply(x) as tfNs.SymbolicTensor;
}

function bn(tf: typeof tfNs, x: tfNs.SymbolicTensor, name: string): tfNs.SymbolicTensor {
  return tf.layers.batchNormalization({ axis: -1, epsilon: RESNET_BN_EPSILON, name }).apply(x) as tfNs.SymbolicTensor;
}

function relu(tf: typeof tfNs, x: tfNs.SymbolicTensor, name: string): tfNs.SymbolicTensor {
  return tf.layers.activation({ activation: 'relu', name }).apply(x) as tfNs.SymbolicTensor;
}
