// The ONNX side of the layers → ONNX build (onnx-build.ts): the graph under construction, weight
// layout conversions (TF → ONNX), BatchNorm folding, and encoding the finished model.
import onnxProto from 'onnx-proto';
import { ONNX_BUILDER_VERSION } from './onnx-version.js';

const { onnx } = onnxProto;

const OPSET = 13;

/** A tensor in the graph being built: its ONNX value name and NCHW geometry (batch is dynamic). */
export interface Val {
  name: string;
  c: number;
  h: number;
  w: number;
  /** Zero padding not yet materialised (from ZeroPadding2D), merged into a following conv if possible. */
  pad?: { src: Val; t: number; b: number; l: number; r: number };
  /** The convolution that produced it, while BN may still be folded into it. */
  conv?: ConvNode;
  /** Flattened [N, C] (after global pooling). */
  flat?: boolean;
  /** Known ≥ 0 (ReLU output): zero padding then equals MaxPool's own −∞ padding. */
  nonNeg?: boolean;
}

export interface ConvNode {
  weight: Float32Array;
  bias: Float32Array;
  /** Number of layers reading this conv's output (folding is only safe with one). */
  consumers: number;
}

export class GraphBuilder {
  nodes: onnxProto.onnx.INodeProto[] = [];
  inits: Array<{ name: string; dims: number[]; f32?: Float32Array; i64?: BigInt64Array }> = [];
  private counter = 0;

  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }

  node(op: string, inputs: string[], output: string, attrs: onnxProto.onnx.IAttributeProto[] = [], name = output): void {
    this.nodes.push({ opType: op, input: inputs, output: [output], attribute: attrs, name });
  }

  f32(name: string, dims: number[], data: Float32Array): string {
    this.inits.push({ name, dims, f32: data });
    return name;
  }

  i64(name: string, values: number[]): string {
    this.inits.push({ name, dims: [values.length], i64: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }
}

export const ints = (name: string, v: number[]): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
export const int = (name: string, v: number): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });

export function globalPool(g: GraphBuilder, x: Val, name: string): Val {
  const pooled = g.fresh(name);
  g.node('GlobalAveragePool', [x.name], pooled);
  g.node('Flatten', [pooled], name, [int('axis', 1)]);
  return { name, c: x.c, h: 1, w: 1, flat: true };
}

/** BN(conv(x)) = conv'(x): scale each output channel's weights, fold the shift into the bias. */
export function foldInto(conv: ConvNode, scale: Float32Array, shift: Float32Array): void {
  const per = conv.weight.length / scale.length;
  for (let o = 0; o < scale.length; o++) {
    const s = scale[o];
    for (let i = o * per; i < (o + 1) * per; i++) conv.weight[i] *= s;
    conv.bias[o] = conv.bias[o] * s + shift[o];
  }
}

/** TF kernel [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw]. */
export function kernelToOnnx(k: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++) {
        const src = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = k[src + o];
      }
  return out;
}

/** TF depthwise kernel [kh, kw, cin, mult] → ONNX grouped [cin·mult, 1, kh, kw] (channel c·mult + m). */
export function depthwiseToOnnx(k: Float32Array, kh: number, kw: number, cin: number, mult: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let c = 0; c < cin; c++)
        for (let m = 0; m < mult; m++) out[((c * mult + m) * kh + y) * kw + x] = k[((y * kw + x) * cin + c) * mult + m];
  return out;
}

export function encodeModel(g: GraphBuilder, [h, w, c]: number[], dim: number, io: { input: string; output: string } = { input: 'input', output: 'features' }): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT64 = onnx.TensorProto.DataType.INT64;
  const initializer = g.inits.map((t) => {
    const arr = t.f32 ?? t.i64!;
    return {
      name: t.name,
      dims: t.dims,
      dataType: t.f32 ? FLOAT : INT64,
      rawData: new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength),
    };
  });
  const tensorType = (dims: Array<number | string>) => ({
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'triplet-studio',
    producerVersion: String(ONNX_BUILDER_VERSION),
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: io.output,
      node: g.nodes,
      initializer,
      input: [{ name: io.input, type: tensorType(['N', h, w, c]) }],
      output: [{ name: io.output, type: tensorType(['N', dim]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
