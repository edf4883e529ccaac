// ResNet50 without the real ImageNet file: the in-code architecture against Keras's layer names and
// parameter count, the h5 layout, and seeded weights going h5 → (Keras cache lookup) → tfjs folder →
// features equal to the in-code model holding the same weights, and the ONNX engine equal to tfjs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import h5wasm from 'h5wasm/node';
import { initBackend, tf } from '../../../../src/main/ml/backend/tfjs.js';
import { BACKBONES } from '../../../../src/main/ml/backbone/registry.js';
import { acquireBackbone, RESNET50_H5 } from '../../../../src/main/ml/backbone/acquire/index.js';
import { digestFile } from '../../../../src/main/ml/backbone/acquire/download.js';
import { applyPreprocessing } from '../../../../src/main/ml/features/preprocess.js';
import { buildResNet50, RESNET_BN_EPSILON } from '../../../../src/main/ml/backbone/resnet50/arch.js';
import { convertResNet50H5 } from '../../../../src/main/ml/convert/resnet50-h5.js';
import { readKerasH5 } from '../../../../src/main/ml/convert/h5.js';
import { writeKerasH5 } from '../../../fixtures/resnet50/h5-writer.js';
import { seededResNet50Model, seededResNet50Weights } from '../../../fixtures/resnet50/seeded.js';
import { loadLayersModelFromDir } from '../../../../src/main/ml/convert/layers-folder.js';

/** keras.applications.resnet.ResNet50(include_top=False, pooling='avg').layers, in Keras's order. */
const KERAS_RESNET50_LAYERS = [
  'input_1', 'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool',
  'conv2_block1_1_conv', 'conv2_block1_1_bn', 'conv2_block1_1_relu', 'conv2_block1_2_conv',
  'conv2_block1_2_bn', 'conv2_block1_2_relu', 'conv2_block1_0_conv', 'conv2_block1_3_conv',
  'conv2_block1_0_bn', 'conv2_block1_3_bn', 'conv2_block1_add', 'conv2_block1_out', 'conv2_block2_1_conv',
  'conv2_block2_1_bn', 'conv2_block2_1_relu', 'conv2_block2_2_conv', 'conv2_block2_2_bn',
  'conv2_block2_2_relu', 'conv2_block2_3_conv', 'conv2_block2_3_bn', 'conv2_block2_add', 'conv2_block2_out',
  'conv2_block3_1_conv', 'conv2_block3_1_bn', 'conv2_block3_1_relu', 'conv2_block3_2_conv',
  'conv2_block3_2_bn', 'conv2_block3_2_relu', 'conv2_block3_3_conv', 'conv2_block3_3_bn', 'conv2_block3_add',
  'conv2_block3_out', 'conv3_block1_1_conv', 'conv3_block1_1_bn', 'conv3_block1_1_relu',
  'conv3_block1_2_conv', 'conv3_block1_2_bn', 'conv3_block1_2_relu', 'conv3_block1_0_conv',
  'conv3_block1_3_conv', 'conv3_block1_0_bn', 'conv3_block1_3_bn', 'conv3_block1_add', 'conv3_block1_out',
  'conv3_block2_1_conv', 'conv3_block2_1_bn', 'conv3_block2_1_relu', 'conv3_block2_2_conv',
  'conv3_block2_2_bn', 'conv3_block2_2_relu', 'conv3_block2_3_conv', 'conv3_block2_3_bn', 'conv3_block2_add',
  'conv3_block2_out', 'conv3_block3_1_conv', 'conv3_block3_1_bn', 'conv3_block3_1_relu',
  'conv3_block3_2_conv', 'conv3_block3_2_bn', 'conv3_block3_2_relu', 'conv3_block3_3_conv',
  'conv3_block3_3_bn', 'conv3_block3_add', 'conv3_block3_out', 'conv3_block4_1_conv', 'conv3_block4_1_bn',
  'conv3_block4_1_relu', 'conv3_block4_2_conv', 'conv3_block4_2_bn', 'conv3_block4_2_relu',
  'conv3_block4_3_conv', 'conv3_block4_3_bn', 'conv3_block4_add', 'conv3_block4_out', 'conv4_block1_1_conv',
  'conv4_block1_1_bn', 'conv4_block1_1_relu', 'conv4_block1_2_conv', 'conv4_block1_2_bn',
  'conv4_block1_2_relu', 'conv4_block1_0_conv', 'conv4_block1_3_conv', 'conv4_block1_0_bn',
  'conv4_block1_3_bn', 'conv4_block1_add', 'conv4_block1_out', 'conv4_block2_1_conv', 'conv4_block2_1_bn',
  'conv4_block2_1_relu', 'conv4_block2_2_conv', 'conv4_block2_2_bn', 'conv4_block2_2_relu',
  'conv4_block2_3_conv', 'conv4_block2_3_bn', 'conv4_block2_add', 'conv4_block2_out', 'conv4_block3_1_conv',
  'conv4_block3_1_bn', 'conv4_block3_1_relu', 'conv4_block3_2_conv', 'conv4_block3_2_bn',
  'conv4_block3_2_relu', 'conv4_block3_3_conv', 'conv4_block3_3_bn', 'conv4_block3_add', 'conv4_block3_out',
  'conv4_block4_1_conv', 'conv4_block4_1_bn', 'conv4_block4_1_relu', 'conv4_block4_2_conv',
  'conv4_block4_2_bn', 'conv4_block4_2_relu', 'conv4_block4_3_conv', 'conv4_block4_3_bn', 'conv4_block4_add',
  'conv4_block4_out', 'conv4_block5_1_conv', 'conv4_block5_1_bn', 'conv4_block5_1_relu',
  'conv4_block5_2_conv', 'conv4_block5_2_bn', 'conv4_block5_2_relu', 'conv4_block5_3_conv',
  'conv4_block5_3_bn', 'conv4_block5_add', 'conv4_block5_out', 'conv4_block6_1_conv', 'conv4_block6_1_bn',
  'conv4_block6_1_relu', 'conv4_block6_2_conv', 'conv4_block6_2_bn', 'conv4_block6_2_relu',
  'conv4_block6_3_conv', 'conv4_block6_3_bn', 'conv4_block6_add', 'conv4_block6_out', 'conv5_block1_1_conv',
  'conv5_block1_1_bn', 'conv5_block1_1_relu', 'conv5_block1_2_conv', 'conv5_block1_2_bn',
  'conv5_block1_2_relu', 'conv5_block1_0_conv', 'conv5_block1_3_conv', 'conv5_block1_0_bn',
  'conv5_block1_3_bn', 'conv5_block1_add', 'conv5_block1_out', 'conv5_block2_1_conv', 'conv5_block2_1_bn',
  'conv5_block2_1_relu', 'conv5_block2_2_conv', 'conv5_block2_2_bn', 'conv5_block2_2_relu',
  'conv5_block2_3_conv', 'conv5_block2_3_bn', 'conv5_block2_add', 'conv5_block2_out', 'conv5_block3_1_conv',
  'conv5_block3_1_bn', 'conv5_block3_1_relu', 'conv5_block3_2_conv', 'conv5_block3_2_bn',
  'conv5_block3_2_relu', 'conv5_block3_3_conv', 'conv5_block3_3_bn', 'conv5_block3_add', 'conv5_block3_out',
  'avg_pool',
];

/** Smooth synthetic "photos", caffe-preprocessed like real ones. */
function images(n: number, seed: number): Float32Array {
  const px = 224 * 224 * 3;
  const out = new Float32Array(n * px);
  for (let k = 0; k < n; k++) {
    const rgb = new Uint8Array(px);
    for (let i = 0; i < px; i++) {
      const y = Math.floor(i / (224 * 3));
      const x = Math.floor(i / 3) % 224;
      rgb[i] = Math.round(127.5 + 127 * Math.sin((x * (i % 3 + 1) + y * (seed + k + 1)) / 17));
    }
    applyPreprocessing(rgb, 'caffe', out, k * px);
  }
  return out;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('resnet50', () => {
  let tmp: string;
  const saved = { backbones: process.env.TRIPLET_STUDIO_BACKBONES, keras: process.env.KERAS_HOME };
  before(async () => {
    await initBackend('wasm');
    tmp = mkdtempSync(join(tmpdir(), 'ts-resnet-'));
  });
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
    for (const [k, v] of [['TRIPLET_STUDIO_BACKBONES', saved.backbones], ['KERAS_HOME', saved.keras]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test('the in-code model has Keras ResNet50 layer names, parameter count and layout', () => {
    const model = buildResNet50(tf);
    try {
      const names = model.layers.map((l) => l.name);
      assert.equal(names.length, KERAS_RESNET50_LAYERS.length);
      assert.deepEqual([...names].sort(), [...KERAS_RESNET50_LAYERS].sort());
      assert.equal(model.countParams(), 23_587_712); // Keras: "Total params: 23,587,712" (notop)
      assert.deepEqual(model.outputs[0].shape, [null, 2048]);
      const cfg = (n: string) => model.getLayer(n).getConfig() as Record<string, unknown>;
      for (const n of names.filter((x) => x.endsWith('_bn'))) assert.equal(cfg(n).epsilon, RESNET_BN_EPSILON, n);
      // Keras v1 puts the stride on the first 1×1 conv and on the shortcut.
      assert.deepEqual(cfg('conv3_block1_1_conv').strides, [2, 2]);
      assert.deepEqual(cfg('conv3_block1_0_conv').strides, [2, 2]);
      assert.deepEqual(cfg('conv3_block1_2_conv').strides, [1, 1]);
      assert.deepEqual(cfg('conv2_block1_1_conv').strides, [1, 1]);
      assert.equal(cfg('conv4_block2_2_conv').padding, 'same');
    } finally {
      model.dispose();
    }
  });

  test('writes and reads the Keras h5 layout', async () => {
    const file = join(tmp, 'layout.h5');
    const kernel = Float32Array.from({ length: 12 }, (_, i) => i / 10);
    await writeKerasH5(file, [
      { layer: 'input_1', weights: [] },
      { layer: 'conv1_conv', weights: [{ name: 'conv1_conv/kernel', shape: [1, 1, 3, 4], data: kernel }, { name: 'conv1_conv/bias', shape: [4], data: new Float32Array(4).fill(0.5) }] },
    ]);
    await h5wasm.ready;
    const f = new h5wasm.File(file, 'r');
    try {
      assert.deepEqual(f.attrs['layer_names'].value, ['input_1', 'conv1_conv']);
      assert.deepEqual((f.get('conv1_conv') as InstanceType<typeof h5wasm.Group>).attrs['weight_names'].value, ['conv1_conv/kernel:0', 'conv1_conv/bias:0']);
      const ds = f.get('conv1_conv/conv1_conv/kernel:0') as InstanceType<typeof h5wasm.Dataset>;
      assert.deepEqual(ds.shape, [1, 1, 3, 4]);
      assert.deepEqual(ds.value, kernel);
    } finally {
      f.close();
    }
    const back = await readKerasH5(file);
    assert.deepEqual(back.map((w) => w.name), ['conv1_conv/kernel', 'conv1_conv/bias']);
    await assert.rejects(convertResNet50H5(file, tmp), /conv1_conv\/kernel has shape \[1,1,3,4\], ResNet50 needs \[7,7,3,64\]/);
  });

  test('seeded Keras h5 from the Keras cache → tfjs folder → same features as the in-code model; ONNX within 1e-3', async () => {
    const keras = join(tmp, 'keras');
    mkdirSync(join(keras, 'models'), { recursive: true });
    const h5 = join(keras, 'models', RESNET50_H5);
    await writeKerasH5(h5, seededResNet50Weights(11));
    process.env.KERAS_HOME = keras;
    process.env.TRIPLET_STUDIO_BACKBONES = join(tmp, 'backbones');
    const { md5 } = await digestFile(h5);

    // Seeded weights are not Keras's file: the default checksum refuses them …
    await assert.rejects(acquireBackbone('resnet50', { prepareOnnx: false }), /Checksum mismatch/);
    // … and with their own md5 they install.
    const r = await acquireBackbone('resnet50', { md5 });
    assert.equal(r.source, 'keras-cache');
    assert.equal(r.origin, h5);

    const x = images(2, 3);
    const loaded = await loadLayersModelFromDir(tf, r.dir);
    const direct = seededResNet50Model(tf, 11);
    const one = tf.tensor4d(x.subarray(0, 224 * 224 * 3), [1, 224, 224, 3]);
    const a = (loaded.predict(one) as tf.Tensor).dataSync() as Float32Array;
    const b = (direct.predict(one) as tf.Tensor).dataSync() as Float32Array;
    direct.dispose();
    assert.equal(a.length, 2048);
    assert.ok(a.every(Number.isFinite));
    assert.ok(Math.max(...a) > 0.1, 'features are not all ~0');
    assert.ok(maxAbsDiff(a, b) <= 1e-4, `loaded vs in-code: ${maxAbsDiff(a, b)}`);

    const both = tf.tensor4d(x, [2, 224, 224, 3]);
    const t = (loaded.predict(both) as tf.Tensor).dataSync() as Float32Array;
    loaded.dispose();
    const { createOnnxEngine } = await import('../../../../src/main/ml/features/onnx-engine.js');
    const engine = await createOnnxEngine(BACKBONES.resnet50, r.dir, 2);
    const o = await engine.run(x, 2);
    engine.dispose?.();
    const diff = maxAbsDiff(o, t);
    console.log(`# resnet50 seeded: ONNX vs tfjs max abs diff ${diff.toExponential(2)} (feature max ${Math.max(...t).toFixed(1)})`);
    assert.ok(diff <= 1e-3, `ONNX vs tfjs: ${diff}`);
    // The two images differ, so a mix-up of batch rows would show.
    assert.ok(maxAbsDiff(t.subarray(0, 2048), t.subarray(2048)) > 1e-2);
  });
});
