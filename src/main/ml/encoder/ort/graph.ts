// A small ONNX graph builder for hand-written training graphs (step-graph.ts): ops with any number of
// outputs, float constants, dynamic-shaped graph inputs and outputs, encoded with onnx-proto (as
// ml/convert/ does for the feature graphs). Opset 13: ReduceSum takes its axes as an input.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
export const OPSET = 13;

/** A graph input or output: name and dims (a string is a symbolic, dynamic dim). */
export interface Port {
  name: string;
  dims: Array<number | string>;
}

type Attr = onnxProto.onnx.IAttributeProto;
export const intAttr = (name: string, v: number): Attr => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });

export class OpGraph {
  private nodes: onnxProto.onnx.INodeProto[] = [];
  private inits: onnxProto.onnx.ITensorProto[] = [];
  private consts = new Map<string, string>();
  private counter = 0;
  readonly inputs: Port[] = [];
  readonly outputs: Port[] = [];

  input(name: string, dims: Array<number | string>): string {
    this.inputs.push({ name, dims });
    return name;
  }

  /**
   * Marks `value` as the graph output `name`. The node computing it is renamed (no Identity copy: for
   * the 768×512 Adam moments a copy costs as much as an Add); an input or constant gets an Identity.
   */
  output(name: string, value: string, dims: Array<number | string>): void {
    const producer = this.nodes.find((n) => n.output?.[0] === value);
    if (value === name) {
      // already named so
    } else if (producer && !this.outputs.some((o) => o.name === value)) {
      producer.output = [name];
      for (const n of this.nodes) n.input = n.input?.map((i) => (i === value ? name : i));
    } else this.op('Identity', [value], {}, name);
    this.outputs.push({ name, dims });
  }

  /** One node with one output; returns the output's name (`out`, else a fresh one). */
  op(type: string, inputs: string[], attrs: Record<string, number> = {}, out?: string): string {
    const name = out ?? `${type.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ opType: type, input: inputs, output: [name], name, attribute: Object.entries(attrs).map(([k, v]) => intAttr(k, v)) });
    return name;
  }

  /** A float32 scalar constant (shared when the same value is asked again). */
  scalar(v: number): string {
    const key = `f${Math.fround(v)}`;
    let name = this.consts.get(key);
    if (!name) {
      name = `const_${this.consts.size}`;
      this.inits.push({ name, dims: [], dataType: FLOAT, floatData: [v] });
      this.consts.set(key, name);
    }
    return name;
  }

  /** An int64 vector constant (axes, shapes, indices). */
  ints(values: number[]): string {
    const key = `i${values.join(',')}`;
    let name = this.consts.get(key);
    if (!name) {
      name = `const_${this.consts.size}`;
      this.inits.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
      this.consts.set(key, name);
    }
    return name;
  }

  /** An int64 scalar constant (a Gather index that drops the axis). */
  int(v: number): string {
    const key = `s${v}`;
    let name = this.consts.get(key);
    if (!name) {
      name = `const_${this.consts.size}`;
      this.inits.push({ name, dims: [], dataType: INT64, int64Data: [v] });
      this.consts.set(key, name);
    }
    return name;
  }

  // Shorthands for the ops the training graph uses.
  add = (a: string, b: string): string => this.op('Add', [a, b]);
  sub = (a: string, b: string): string => this.op('Sub', [a, b]);
  mul = (a: string, b: string): string => this.op('Mul', [a, b]);
  div = (a: string, b: string): string => this.op('Div', [a, b]);
  neg = (a: string): string => this.op('Neg', [a]);
  sqrt = (a: string): string => this.op('Sqrt', [a]);
  /** Σ over `axes` (keepdims 1 unless told). */
  sum = (a: string, axes: number[], keep = 1): string => this.op('ReduceSum', [a, this.ints(axes)], { keepdims: keep });
  /** 1 where a > b, else 0 (float). */
  greater = (a: string, b: string): string => this.op('Cast', [this.op('Greater', [a, b])], { to: FLOAT });

  encode(name: string): Uint8Array {
    const port = (p: Port) => ({
      name: p.name,
      type: { tensorType: { elemType: FLOAT, shape: { dim: p.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
    });
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'triplet-studio',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: { name, node: this.nodes, initializer: this.inits, input: this.inputs.map(port), output: this.outputs.map(port) },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
