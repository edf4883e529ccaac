// Keras weight files (.h5, as written by Keras 2 `save_weights` and shipped by keras.applications):
//   root attrs `layer_names` (every layer, also those without weights), `backend`, `keras_version`;
//   one group per layer with attr `weight_names` (e.g. "conv1_conv/kernel:0");
//   one dataset per weight at `<layer>/<weight name>` (e.g. "conv1_conv/conv1_conv/kernel:0").
// Weights are returned under tfjs's names ("conv1_conv/kernel"), which is how model.json refers to them.
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors.js';

export interface NamedWeight {
  /** tfjs name: `<layer>/<weight>`, e.g. `conv1_bn/moving_mean`. */
  name: string;
  shape: number[];
  data: Float32Array;
}

export type H5 = typeof import('h5wasm/node').default;
let h5Ready: Promise<H5> | null = null;

/** h5wasm's Node build reads host paths directly (Emscripten NODERAWFS). */
export async function h5(): Promise<H5> {
  h5Ready ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return h5Ready;
}

/** "conv1_conv/kernel:0" → "kernel"; Keras 2.x sometimes nests a scope ("model/conv1/kernel:0"). */
function weightSuffix(weightName: string): string {
  const base = weightName.split('/').pop() ?? weightName;
  return base.replace(/:\d+$/, '');
}

function asStrings(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  // Keras stores an empty name list as an empty float array.
  if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((s) => (s instanceof Uint8Array ? new TextDecoder().decode(s) : String(s)));
}

/** Keras splits attributes above 64 KB into `name0`, `name1`, … (load_attributes_from_hdf5_group). */
function chunkedAttr(obj: { attrs: Record<string, { value: unknown }> }, name: string): string[] | null {
  const attrs = obj.attrs;
  if (attrs[name]) return asStrings(attrs[name].value);
  if (!attrs[`${name}0`]) return null;
  const out: string[] = [];
  for (let i = 0; attrs[`${name}${i}`]; i++) out.push(...asStrings(attrs[`${name}${i}`].value));
  return out;
}

/** Reads every weight of a Keras h5 weight file, in the file's layer order. */
export async function readKerasH5(path: string): Promise<NamedWeight[]> {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `Keras weight file not found: ${path}`);
  const lib = await h5();
  let file: InstanceType<H5['File']>;
  try {
    file = new lib.File(path, 'r');
  } catch (err) {
    throw new AppError('INVALID_FILE', `${path} is not a readable HDF5 file: ${(err as Error).message}`);
  }
  try {
    // Full-model saves keep the weights under /model_weights; weight-only saves at the root.
    const root = file.get('model_weights') instanceof lib.Group ? (file.get('model_weights') as InstanceType<H5['Group']>) : file;
    const layerNames = chunkedAttr(root, 'layer_names');
    if (layerNames === null) throw new AppError('INVALID_FILE', `${path} has no "layer_names" attribute: not a Keras weight file.`);
    const out: NamedWeight[] = [];
    for (const layer of layerNames) {
      const group = root.get(layer);
      if (!(group instanceof lib.Group)) throw new AppError('INVALID_FILE', `${path}: layer "${layer}" is listed but has no group.`);
      for (const wname of chunkedAttr(group, 'weight_names') ?? []) {
        const ds = group.get(wname);
        if (!(ds instanceof lib.Dataset)) throw new AppError('INVALID_FILE', `${path}: dataset "${layer}/${wname}" is missing.`);
        const value = ds.value;
        const data = value instanceof Float32Array ? value : Float32Array.from(value as ArrayLike<number>);
        out.push({ name: `${layer}/${weightSuffix(wname)}`, shape: ds.shape ?? [], data });
      }
    }
    return out;
  } finally {
    file.close();
  }
}
