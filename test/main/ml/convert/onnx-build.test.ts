// The ONNX builder on a small model that exercises every layer kind and padding rule it supports
// (odd sizes with TF "same" padding, stride 2, depthwise multiplier 2, ZeroPadding before pooling
// of signed and of ReLU values — onnxruntime's PadFusion must not turn the zeros into −∞ —,
// in-layer activations, BN that can and cannot be folded, Add, average/max pooling): onnxruntime's
// output must equal tfjs's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { skipWithoutOrt } from '../../../helpers/ort.js';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../../src/main/ml/backend/tfjs.js';
import { buildOnnx } from '../../../../src/main/ml/convert/onnx-build.js';
import { loadOrt } from '../../../../src/main/ml/features/onnx-engine.js';


function smallModel(): tf.LayersModel {
  const L = tf.layers;
  const inp = tf.input({ shape: [15, 13, 3], name: 'input_1' });
  let x = L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', name: 'c1', useBias: false }).apply(inp) as tf.SymbolicTensor;
  x = L.batchNormalization({ name: 'c1_bn', epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor; // folded
  x = L.reLU({ maxValue: 6, name: 'c1_relu' }).apply(x) as tf.SymbolicTensor;
  const dw = L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw', activation: 'relu6' }).apply(x) as tf.SymbolicTensor;
  const pw = L.conv2d({ filters: 16, kernelSize: 1, name: 'pw', activation: 'relu' }).apply(dw) as tf.SymbolicTensor;
  const bnAfterAct = L.batchNormalization({ name: 'pw_bn' }).apply(pw) as tf.SymbolicTensor; // not foldable (activation between)
  const sum = L.add({ name: 'sum' }).apply([bnAfterAct, dw]) as tf.SymbolicTensor;
  const bnAfterAdd = L.batchNormalization({ name: 'sum_bn', epsilon: 1.001e-5 }).apply(sum) as tf.SymbolicTensor; // not foldable (Add)
  let y = L.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'pad' }).apply(bnAfterAdd) as tf.SymbolicTensor;
  y = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'maxp' }).apply(y) as tf.SymbolicTensor;
  y = L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'avgp' }).apply(y) as tf.SymbolicTensor;
  y = L.activation({ activation: 'relu', name: 'relu_out' }).apply(y) as tf.SymbolicTensor;
  // ResNet's stem pattern: zero padding of a ReLU output, then a valid max pool (merged into the pool).
  y = L.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pad2' }).apply(y) as tf.SymbolicTensor;
  y = L.maxPooling2d({ poolSize: 3, strides: 1, name: 'features' }).apply(y) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: y });
  // Non-trivial BN statistics (the initial ones are the identity).
  for (const name of ['c1_bn', 'pw_bn', 'sum_bn']) {
    const layer = model.getLayer(name);
    const c = layer.getWeights()[0].shape[0];
    layer.setWeights([tf.randomUniform([c], 0.5, 1.5, 'float32', 1), tf.randomUniform([c], -0.3, 0.3, 'float32', 2), tf.randomUniform([c], -0.5, 0.5, 'float32', 3), tf.randomUniform([c], 0.5, 2, 'float32', 4)]);
  }
  return model;
}

test('ONNX graph from a tfjs layers model equals tfjs (padding, depthwise, BN folding, pooling)', { skip: await skipWithoutOrt() }, async () => {
  await initBackend('wasm');
  const model = smallModel();
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts! as tf.io.ModelArtifacts;
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let off = 0;
  const buf = a.weightData as ArrayBuffer;
  for (const s of a.weightSpecs!) {
    const n = s.shape.reduce((p, q) => p * q, 1);
    weights.set(s.name, { shape: s.shape, data: new Float32Array(buf, off, n) });
    off += n * 4;
  }
  const bytes = buildOnnx({ model_config: a.modelTopology }, weights, { featureLayer: 'features' });

  const n = 3;
  const x = tf.randomNormal([n, 15, 13, 3], 0, 1, 'float32', 7);
  const want = tf.tidy(() => (model.predict(x) as tf.Tensor).mean([1, 2])).dataSync() as Float32Array;
  const ort = await loadOrt();
  const dir = mkdtempSync(join(tmpdir(), 'ts-onnx-build-'));
  try {
    writeFileSync(join(dir, 'm.onnx'), bytes);
    const session = await ort.InferenceSession.create(join(dir, 'm.onnx'));
    const out = await session.run({ input: new ort.Tensor('float32', x.dataSync() as Float32Array, [n, 15, 13, 3]) });
    const got = out.features.data as Float32Array;
    assert.deepEqual(out.features.dims, [n, 16]);
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - want[i]));
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
    assert.ok(Math.max(...want) > 0.01);
    await session.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});
