// Saving and loading a trained encoder in tfjs's layers format (model.json + weights.bin), written
// with plain fs, so a saved encoder opens in tfjs and Keras tooling too.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainOptions } from '../../../shared/types.js';
import { weightsOf, type EncoderWeights, type NamedWeight } from './model.js';
import { flushFolder, writeFileFlushedAsync } from '../../util/durable.js';
import { makeDirs } from '../../util/make-dirs.js';

export interface LoadedEncoder extends EncoderWeights {
  options: TrainOptions | null;
  /** Anything else saved alongside (bestEpoch, backend, …). */
  meta: Record<string, unknown>;
}

function denseConfig(name: string, units: number, activation: string, inputDim?: number): object {
  return {
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      ...(inputDim === undefined ? {} : { batch_input_shape: [null, inputDim] }),
      dtype: 'float32',
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'HeUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

const dropoutConfig = (name: string, rate: number): object => ({ class_name: 'Dropout', config: { name, trainable: true, dtype: 'float32', rate } });

/**
 * Writes <dir>/model.json (Sequential: dropout, dense relu, dropout, dense; the final L2
 * normalisation is recorded in userDefinedMetadata) and <dir>/weights.bin.
 */
export async function saveEncoder(dir: string, enc: EncoderWeights & Record<string, unknown>, options: TrainOptions): Promise<void> {
  const [w1, , w2] = weightsOf(enc);
  const [inputDim, hidden] = w1.shape;
  const embedding = w2.shape[1];
  const layers = [
    { class_name: 'Dropout', config: { name: 'dropout_1', trainable: true, dtype: 'float32', rate: options.dropout, batch_input_shape: [null, inputDim] } },
    denseConfig('dense_1', hidden, 'relu'),
    dropoutConfig('dropout_2', options.dropout),
    denseConfig('dense_2', embedding, 'linear'),
  ];
  const { weights: _w, ...rest } = enc;
  const meta = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v !== 'function'));
  // Member 1 is the tfjs model proper; further ensemble members go to members.bin, listed in the
  // metadata (a strict tfjs loader refuses weights the topology does not use).
  const main = enc.weights.slice(0, 4);
  const extra = enc.weights.slice(4);
  const manifest = (ws: NamedWeight[], path: string) => ({ paths: [path], weights: ws.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) });
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'triplet-studio',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'triplet_encoder', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [manifest(main, 'weights.bin')],
    userDefinedMetadata: { tripletStudio: { version: 1, normalize: 'l2', options, meta, ...(extra.length ? { members: manifest(extra, 'members.bin') } : {}) } },
  };
  makeDirs(dir);
  // Flushed: a finished run's model must still be there after a power cut (util/durable.ts).
  await writeFileFlushedAsync(join(dir, 'weights.bin'), concatWeights(main));
  if (extra.length) await writeFileFlushedAsync(join(dir, 'members.bin'), concatWeights(extra));
  await writeFileFlushedAsync(join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  flushFolder(dir);
}

function concatWeights(ws: NamedWeight[]): Buffer {
  return Buffer.concat(ws.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

type ManifestGroup = { paths: string[]; weights: { name: string; shape: number[]; dtype?: string }[] };

/** Reads an encoder written by saveEncoder (weights by manifest order; errors name the file). */
export async function loadEncoder(dir: string): Promise<LoadedEncoder> {
  const file = join(dir, 'model.json');
  let json: {
    weightsManifest?: ManifestGroup[];
    userDefinedMetadata?: { tripletStudio?: { options?: TrainOptions; meta?: Record<string, unknown>; members?: ManifestGroup } };
  };
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const groups = [...(json.weightsManifest ?? []), ...(json.userDefinedMetadata?.tripletStudio?.members ? [json.userDefinedMetadata.tripletStudio.members] : [])];
  const weights: NamedWeight[] = [];
  for (const g of groups) {
    const bufs = await Promise.all(g.paths.map((p) => readFile(join(dir, p))));
    const all = Buffer.concat(bufs);
    let off = 0;
    for (const spec of g.weights) {
      if (spec.dtype && spec.dtype !== 'float32') throw new Error(`${file}: weight ${spec.name} has dtype ${spec.dtype}, expected float32`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (off + count * 4 > all.length) throw new Error(`${file}: weights files too short for ${spec.name}`);
      const data = new Float32Array(count);
      Buffer.from(data.buffer).set(all.subarray(off, off + count * 4));
      weights.push({ name: spec.name, shape: spec.shape, data });
      off += count * 4;
    }
  }
  if (weights.length === 0 || weights.length % 4 !== 0) throw new Error(`${file}: expected 4 weights (2 dense layers) per member, found ${weights.length}`);
  const ts = json.userDefinedMetadata?.tripletStudio;
  return { weights, options: ts?.options ?? null, meta: ts?.meta ?? {} };
}
