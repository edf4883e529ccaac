// tfjs/Keras layers model → ONNX graph for onnxruntime, written in code (no Python converter here).
// Input stays NHWC float32 (the same preprocessed batch the tfjs engine takes); one Transpose makes
// it NCHW. BatchNormalization that directly follows a convolution is folded into the convolution's
// weights and bias; the graph ends at `featureLayer`, global-average-pooled to [N, C] when spatial.
import { AppError } from '../../../shared/errors.js';
import { readLayersFolder, weightMap } from './layers-folder.js';
import type { Preprocessing } from '../backbone/registry.js';
import { appendPixelPreprocessing } from './onnx-encoder.js';
import { depthwiseToOnnx, encodeModel, foldInto, globalPool, GraphBuilder, int, ints, kernelToOnnx, type ConvNode, type Val } from './onnx-graph.js';

export { ONNX_BUILDER_VERSION } from './onnx-version.js';

interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}

const RESERVED = new Set(['input', 'input_nchw', 'features', 'image', 'encoding']);

type Weights = Map<string, { shape: number[]; data: Float32Array }>;


function pair(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0], a[1] ?? a[0]];
}

/** TF "same" padding: the odd pixel goes at the end (bottom/right). */
function samePads(size: number, k: number, s: number, d: number): [number, number, number] {
  const eff = (k - 1) * d + 1;
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + eff - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2), out];
}

function inboundNames(layer: KerasLayer): string[] {
  const nodes = layer.inbound_nodes as unknown[][];
  if (!nodes || nodes.length === 0) return [];
  if (nodes.length > 1) throw new AppError('INVALID_FILE', `layer ${layer.name} is shared (${nodes.length} calls); not supported for ONNX export.`);
  return (nodes[0] as unknown[][]).map((entry) => String(entry[0]));
}

/** Keras stores [[t,b],[l,r]], [t,l] or an int; tfjs writes the nested form. */
function zeroPadding(cfg: Record<string, unknown>): { t: number; b: number; l: number; r: number } {
  const p = cfg.padding;
  if (typeof p === 'number') return { t: p, b: p, l: p, r: p };
  const a = p as Array<number | number[]>;
  if (Array.isArray(a[0])) {
    const [tb, lr] = a as number[][];
    return { t: tb[0], b: tb[1], l: lr[0], r: lr[1] };
  }
  const [h, w] = a as number[];
  return { t: h, b: h, l: w, r: w };
}

export interface OnnxBuildOptions {
  /** Last layer to keep; spatial outputs are global-average-pooled. */
  featureLayer: string;
  /** Take RGB 0–255 as the graph input `image` and preprocess in the graph (export-model; see onnx-encoder.ts). */
  pixels?: Preprocessing;
  /** Append layers after the features (the trained encoder); the graph output is then `encoding`. */
  head?: (g: GraphBuilder, features: Val) => { name: string; dim: number };
}

/** Builds the ONNX model bytes from a Keras-style topology and its weights. */
export function buildOnnx(modelTopology: unknown, weights: Weights, opts: OnnxBuildOptions): Uint8Array {
  const topo = modelTopology as { model_config?: { config: { layers: KerasLayer[] } }; config?: { layers: KerasLayer[] } };
  const layers = (topo.model_config?.config ?? topo.config)?.layers;
  if (!Array.isArray(layers)) throw new AppError('INVALID_FILE', 'model.json topology has no layer list.');
  const stop = layers.findIndex((l) => l.name === opts.featureLayer);
  if (stop < 0) throw new AppError('INVALID_FILE', `model.json has no layer "${opts.featureLayer}".`);
  const used = layers.slice(0, stop + 1);

  const consumers = new Map<string, number>();
  for (const l of used) for (const src of inboundNames(l)) consumers.set(src, (consumers.get(src) ?? 0) + 1);

  const g = new GraphBuilder();
  if (opts.pixels) appendPixelPreprocessing(g, opts.pixels, 'image', 'input');
  const vals = new Map<string, Val>();
  let inputDims: number[] = [];

  const weight = (layer: string, w: string): { shape: number[]; data: Float32Array } => {
    const found = weights.get(`${layer}/${w}`);
    if (!found) throw new AppError('INVALID_FILE', `weight ${layer}/${w} is missing from the weight shards.`);
    return found;
  };
  const input = (l: KerasLayer, i = 0): Val => {
    const src = inboundNames(l)[i];
    const v = vals.get(src);
    if (!v) throw new AppError('INVALID_FILE', `layer ${l.name}: input ${src} not found (unsupported graph order).`);
    return v;
  };
  /** Materialises pending zero padding as a Pad node. */
  const real = (v: Val): Val => {
    if (!v.pad) return v;
    const { src, t, b, l, r } = v.pad;
    const out = g.fresh(v.name);
    // The pad value is a tiny non-zero on purpose: onnxruntime's PadFusion folds a zero Pad into a
    // following MaxPool, whose own padding is −∞, which changes the result (seen with 1.30). 1e-30
    // keeps the fusion off and differs from zero by far less than float rounding.
    const value = g.f32(g.fresh('pad_value'), [], new Float32Array([1e-30]));
    g.node('Pad', [src.name, g.i64(g.fresh('pads'), [0, 0, t, l, 0, 0, b, r]), value], out);
    const res: Val = { name: out, c: v.c, h: v.h, w: v.w, nonNeg: src.nonNeg };
    Object.assign(v, res, { pad: undefined });
    return res;
  };
  const activation = (layerName: string, x: Val, act: string): Val => {
    if (act === 'linear' || act === undefined) return x;
    const out = `${layerName}__act`;
    if (act === 'relu') g.node('Relu', [x.name], out);
    else if (act === 'relu6') g.node('Clip', [x.name, g.f32(g.fresh('zero'), [], new Float32Array([0])), g.f32(g.fresh('six'), [], new Float32Array([6]))], out);
    else if (act === 'sigmoid') g.node('Sigmoid', [x.name], out);
    else if (act === 'tanh') g.node('Tanh', [x.name], out);
    else throw new AppError('INVALID_FILE', `layer ${layerName}: activation "${act}" is not supported for ONNX export.`);
    return { name: out, c: x.c, h: x.h, w: x.w, flat: x.flat, nonNeg: act === 'relu' || act === 'relu6' || act === 'sigmoid' };
  };

  for (const l of used) {
    const cfg = l.config;
    // Graph input/output names are reserved; a layer called e.g. "features" gets a suffix.
    const lname = RESERVED.has(l.name) ? `${l.name}__layer` : l.name;
    let out: Val;
    switch (l.class_name) {
      case 'InputLayer': {
        const shape = (cfg.batch_input_shape ?? cfg.batch_shape) as number[];
        if (!shape || shape.length !== 4) throw new AppError('INVALID_FILE', `input ${l.name}: expected an image input [N,H,W,C].`);
        const [, h, w, c] = shape;
        inputDims = [h, w, c];
        g.node('Transpose', ['input'], 'input_nchw', [ints('perm', [0, 3, 1, 2])]);
        out = { name: 'input_nchw', c, h, w };
        break;
      }
      case 'ZeroPadding2D': {
        const x = real(input(l));
        const p = zeroPadding(cfg);
        out = { name: lname, c: x.c, h: x.h + p.t + p.b, w: x.w + p.l + p.r, pad: { src: x, ...p } };
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const x0 = input(l);
        const depthwise = l.class_name === 'DepthwiseConv2D';
        const kw = weight(l.name, depthwise ? 'depthwise_kernel' : 'kernel');
        const [kh, kwid, cin, cout0] = kw.shape;
        const mult = depthwise ? cout0 : 1;
        const cout = depthwise ? cin * mult : cout0;
        const [sh, sw] = pair(cfg.strides, 1);
        const [dh, dw] = pair(cfg.dilation_rate, 1);
        // Merge a preceding ZeroPadding2D into the conv's own pads.
        let pads = [0, 0, 0, 0];
        let x = x0;
        if (x0.pad && cfg.padding === 'valid') {
          pads = [x0.pad.t, x0.pad.l, x0.pad.b, x0.pad.r];
          x = x0.pad.src;
        } else {
          x = real(x0);
        }
        let oh: number, ow: number;
        if (cfg.padding === 'same') {
          const [pt, pb, h2] = samePads(x.h, kh, sh, dh);
          const [pl, pr, w2] = samePads(x.w, kwid, sw, dw);
          pads = [pt, pl, pb, pr];
          oh = h2;
          ow = w2;
        } else {
          oh = Math.floor((x.h + pads[0] + pads[2] - ((kh - 1) * dh + 1)) / sh) + 1;
          ow = Math.floor((x.w + pads[1] + pads[3] - ((kwid - 1) * dw + 1)) / sw) + 1;
        }
        const W = depthwise ? depthwiseToOnnx(kw.data, kh, kwid, cin, mult) : kernelToOnnx(kw.data, kh, kwid, cin, cout);
        const B = new Float32Array(cout);
        if (cfg.use_bias !== false) B.set(weight(l.name, 'bias').data);
        const wName = g.f32(`${l.name}/W`, depthwise ? [cout, 1, kh, kwid] : [cout, cin, kh, kwid], W);
        const bName = g.f32(`${l.name}/B`, [cout], B);
        const attrs = [ints('kernel_shape', [kh, kwid]), ints('strides', [sh, sw]), ints('dilations', [dh, dw]), ints('pads', pads)];
        if (depthwise) attrs.push(int('group', cin));
        g.node('Conv', [x.name, wName, bName], lname, attrs);
        const act = (cfg.activation as string | undefined) ?? 'linear';
        out = { name: lname, c: cout, h: oh, w: ow };
        // A BN can only be folded when it reads the conv's raw output and nothing else does.
        if (act === 'linear') out.conv = { weight: W, bias: B, consumers: consumers.get(l.name) ?? 0 };
        else out = activation(l.name, out, act);
        break;
      }
      case 'BatchNormalization': {
        const x = real(input(l));
        const eps = Number(cfg.epsilon ?? 1e-3);
        const gamma = cfg.scale === false ? null : weight(l.name, 'gamma').data;
        const beta = cfg.center === false ? null : weight(l.name, 'beta').data;
        const mean = weight(l.name, 'moving_mean').data;
        const variance = weight(l.name, 'moving_variance').data;
        const scale = new Float32Array(x.c);
        const shift = new Float32Array(x.c);
        for (let c = 0; c < x.c; c++) {
          scale[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + eps);
          shift[c] = (beta ? beta[c] : 0) - mean[c] * scale[c];
        }
        if (x.conv && x.conv.consumers === 1) {
          foldInto(x.conv, scale, shift);
          out = { ...x, conv: undefined };
        } else {
          const dims = x.flat ? [x.c] : [x.c, 1, 1];
          const mul = g.fresh(l.name);
          g.node('Mul', [x.name, g.f32(`${l.name}/scale`, dims, scale)], mul);
          g.node('Add', [mul, g.f32(`${l.name}/shift`, dims, shift)], lname);
          out = { name: lname, c: x.c, h: x.h, w: x.w, flat: x.flat };
        }
        break;
      }
      case 'Activation':
        out = activation(l.name, real(input(l)), cfg.activation as string);
        break;
      case 'ReLU': {
        const x = real(input(l));
        if (cfg.negative_slope || cfg.threshold) throw new AppError('INVALID_FILE', `layer ${l.name}: leaky/thresholded ReLU is not supported.`);
        out = activation(l.name, x, cfg.max_value === 6 ? 'relu6' : cfg.max_value == null ? 'relu' : 'unsupported max_value');
        break;
      }
      case 'Dropout':
        out = input(l);
        break;
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const x0 = input(l);
        const max = l.class_name === 'MaxPooling2D';
        // Zero padding before a max pool of non-negative values is the pool's own padding: merge it.
        const merge = max && x0.pad !== undefined && x0.pad.src.nonNeg === true;
        const extra = merge ? [x0.pad!.t, x0.pad!.l, x0.pad!.b, x0.pad!.r] : [0, 0, 0, 0];
        const x = merge ? x0.pad!.src : real(x0);
        const [kh, kw] = pair(cfg.pool_size, 2);
        const [sh, sw] = pair(cfg.strides ?? cfg.pool_size, 2);
        let pads = extra;
        let oh = Math.floor((x0.h - kh) / sh) + 1;
        let ow = Math.floor((x0.w - kw) / sw) + 1;
        if (cfg.padding === 'same') {
          const [pt, pb, h2] = samePads(x0.h, kh, sh, 1);
          const [pl, pr, w2] = samePads(x0.w, kw, sw, 1);
          pads = [pt + extra[0], pl + extra[1], pb + extra[2], pr + extra[3]];
          oh = h2;
          ow = w2;
        }
        const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]), ints('pads', pads)];
        // TF averages over the real pixels only at "same" borders: count_include_pad stays 0 (default).
        g.node(max ? 'MaxPool' : 'AveragePool', [x.name], lname, attrs);
        out = { name: lname, c: x.c, h: oh, w: ow, nonNeg: x.nonNeg };
        break;
      }
      case 'Add': {
        const srcs = inboundNames(l).map((_, i) => real(input(l, i)));
        let acc = srcs[0].name;
        for (let i = 1; i < srcs.length; i++) {
          const o = i === srcs.length - 1 ? lname : g.fresh(l.name);
          g.node('Add', [acc, srcs[i].name], o);
          acc = o;
        }
        out = { name: lname, c: srcs[0].c, h: srcs[0].h, w: srcs[0].w };
        break;
      }
      case 'GlobalAveragePooling2D': {
        const x = real(input(l));
        out = globalPool(g, x, lname);
        break;
      }
      default:
        throw new AppError('INVALID_FILE', `layer ${l.name}: ${l.class_name} is not supported for ONNX export.`);
    }
    vals.set(l.name, out);
  }

  let last = real(vals.get(opts.featureLayer)!);
  if (!last.flat) last = globalPool(g, last, 'features_pool');
  const graphInput = opts.pixels ? 'image' : 'input';
  if (opts.head) {
    const head = opts.head(g, last);
    g.node('Identity', [head.name], 'encoding');
    return encodeModel(g, inputDims, head.dim, { input: graphInput, output: 'encoding' });
  }
  g.node('Identity', [last.name], 'features');
  return encodeModel(g, inputDims, last.c, { input: graphInput, output: 'features' });
}

/** Reads a tfjs layers folder and builds its ONNX feature model. */
export function buildOnnxFromLayersFolder(dir: string, opts: OnnxBuildOptions): Uint8Array {
  const folder = readLayersFolder(dir);
  const topo = folder.json.modelTopology;
  return buildOnnx(topo, weightMap(folder), opts);
}
