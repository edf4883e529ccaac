// The pieces that turn the backbone's ONNX feature graph (onnx-build.ts) into one "image in,
// encoding out" model for use outside the app (export-model):
//  - pixel preprocessing in the graph: the input is RGB values 0–255, NHWC [N, 224, 224, 3], already
//    resized; 'tf' backbones scale to [−1, 1], 'caffe' ones swap to BGR and subtract ImageNet means
//    (the same arithmetic as features/preprocess.ts applyPreprocessing);
//  - the trained encoder appended after the features: per member Dense → ReLU → Dense → L2
//    normalisation (x / √(Σx² + 1e-12), as model.ts), and for an ensemble the members' unit
//    embeddings joined side by side and scaled by 1/√members (model.ts joinMembers).
import type { NamedWeight } from '../encoder/model.js';
import type { Preprocessing } from '../backbone/registry.js';
import { int, ints, type GraphBuilder, type Val } from './onnx-graph.js';

// BGR order, as features/preprocess.ts (Keras caffe mode).
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];

/** Nodes computing the backbone's input `out` (preprocessed NHWC) from the graph input `image` (RGB 0–255). */
export function appendPixelPreprocessing(g: GraphBuilder, mode: Preprocessing, image: string, out: string): void {
  if (mode === 'tf') {
    const scaled = g.fresh('pixels_scaled');
    g.node('Mul', [image, g.f32(g.fresh('inv127_5'), [], new Float32Array([1 / 127.5]))], scaled);
    g.node('Sub', [scaled, g.f32(g.fresh('one'), [], new Float32Array([1]))], out);
    return;
  }
  const bgr = g.fresh('pixels_bgr');
  g.node('Gather', [image, g.i64(g.fresh('bgr_order'), [2, 1, 0])], bgr, [int('axis', 3)]);
  g.node('Sub', [bgr, g.f32(g.fresh('caffe_mean'), [3], new Float32Array(CAFFE_MEAN_BGR))], out);
}

/** One member's Dense → ReLU → Dense → L2 normalisation on [N, C] features; returns the value name. */
function memberHead(g: GraphBuilder, x: string, w: NamedWeight[], k: number): string {
  const [w1, b1, w2, b2] = w;
  const p = `encoder_${k + 1}`;
  const h0 = g.fresh(`${p}/dense_1`);
  g.node('MatMul', [x, g.f32(`${p}/dense_1/kernel`, w1.shape, w1.data)], h0);
  const h1 = g.fresh(`${p}/dense_1_bias`);
  g.node('Add', [h0, g.f32(`${p}/dense_1/bias`, b1.shape, b1.data)], h1);
  const h = g.fresh(`${p}/relu`);
  g.node('Relu', [h1], h);
  const e0 = g.fresh(`${p}/dense_2`);
  g.node('MatMul', [h, g.f32(`${p}/dense_2/kernel`, w2.shape, w2.data)], e0);
  const e = g.fresh(`${p}/dense_2_bias`);
  g.node('Add', [e0, g.f32(`${p}/dense_2/bias`, b2.shape, b2.data)], e);
  const ss = g.fresh(`${p}/sum_sq`);
  g.node('ReduceSumSquare', [e], ss, [ints('axes', [1]), int('keepdims', 1)]);
  const ssEps = g.fresh(`${p}/sum_sq_eps`);
  g.node('Add', [ss, g.f32(g.fresh('eps'), [], new Float32Array([1e-12]))], ssEps);
  const norm = g.fresh(`${p}/norm`);
  g.node('Sqrt', [ssEps], norm);
  const unit = g.fresh(`${p}/unit`);
  g.node('Div', [e, norm], unit);
  return unit;
}

/** Appends the encoder (one or more members of 4 weights each) after `features`; returns the encoding. */
export function appendEncoderHead(g: GraphBuilder, features: Val, members: NamedWeight[][]): { name: string; dim: number } {
  for (const m of members) {
    if (m.length !== 4 || m[0].shape[0] !== features.c) throw new Error(`encoder member expects ${m[0]?.shape[0]}-d features, the backbone gives ${features.c}`);
  }
  const units = members.map((m, k) => memberHead(g, features.name, m, k));
  const e = members[0][2].shape[1];
  if (units.length === 1) return { name: units[0], dim: e };
  const joined = g.fresh('members_joined');
  g.node('Concat', units, joined, [int('axis', 1)]);
  const scaled = g.fresh('encoding_scaled');
  g.node('Mul', [joined, g.f32(g.fresh('member_scale'), [], new Float32Array([1 / Math.sqrt(units.length)]))], scaled);
  return { name: scaled, dim: e * units.length };
}
