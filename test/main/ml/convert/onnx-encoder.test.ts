// The export graph's own parts on a tiny model (input → global average pool → encoder), run with
// onnxruntime-node against the app's JS: pixel preprocessing for both backbone kinds ('tf' scaling,
// 'caffe' BGR and means) and the encoder head, one member and an ensemble of 2 (joined, 1/√2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOnnx } from '../../../../src/main/ml/convert/onnx-build.js';
import { appendEncoderHead } from '../../../../src/main/ml/convert/onnx-encoder.js';
import { applyPreprocessing } from '../../../../src/main/ml/features/preprocess.js';
import { embedFeaturesJs, type NamedWeight } from '../../../../src/main/ml/encoder/model.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { loadOrt } from '../../../../src/main/ml/features/onnx-engine.js';
import { skipWithoutOrt } from '../../../helpers/ort.js';

const H = 4;
const topology = {
  class_name: 'Functional',
  config: {
    layers: [
      { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, H, H, 3] }, inbound_nodes: [] },
      { class_name: 'GlobalAveragePooling2D', name: 'pool', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] },
    ],
  },
};

function member(rand: () => number, hidden: number, emb: number): NamedWeight[] {
  const u = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  return [
    { name: 'dense_1/kernel', shape: [3, hidden], data: u(3 * hidden) },
    { name: 'dense_1/bias', shape: [hidden], data: u(hidden) },
    { name: 'dense_2/kernel', shape: [hidden, emb], data: u(hidden * emb) },
    { name: 'dense_2/bias', shape: [emb], data: u(emb) },
  ];
}

for (const pixels of ['tf', 'caffe'] as const) {
  for (const members of [1, 2]) {
    test(`export graph = the app's JS (${pixels} preprocessing, ${members} member${members > 1 ? 's' : ''})`, async (t) => {
      const noOrt = await skipWithoutOrt();
      if (noOrt) return t.skip(noOrt);
      const rand = seededRandom(members * 7 + pixels.length);
      const ms = Array.from({ length: members }, () => member(rand, 6, 4));
      const bytes = buildOnnx(topology, new Map(), { featureLayer: 'pool', pixels, head: (g, f) => appendEncoderHead(g, f, ms) });
      const n = 3;
      const rgb = Uint8Array.from({ length: n * H * H * 3 }, () => Math.floor(rand() * 256));
      // The app: preprocess each image's pixels, average over the positions, encode (JS path).
      const feats = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const x = new Float32Array(H * H * 3);
        applyPreprocessing(rgb.subarray(i * H * H * 3, (i + 1) * H * H * 3), pixels, x, 0);
        for (let p = 0; p < H * H; p++) for (let c = 0; c < 3; c++) feats[i * 3 + c] += x[p * 3 + c] / (H * H);
      }
      const want = embedFeaturesJs({ weights: ms.flat() }, feats, n, 3);
      const ort = await loadOrt();
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ image: new ort.Tensor('float32', Float32Array.from(rgb), [n, H, H, 3]) });
      const got = out.encoding.data as Float32Array;
      assert.deepEqual(out.encoding.dims, [n, 4 * members]);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `value ${i}: ${got[i]} vs ${want[i]}`);
      await session.release();
    });
  }
}
