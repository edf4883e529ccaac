// Frozen ImageNet backbones: registry, weights location, and the engines that turn preprocessed
// 224×224 batches into feature vectors.
//
// ENGINE HOOK (used by src/main/ml/backbone/resnet50/ and src/main/ml/features/onnx-engine.ts):
//   A FeatureEngine runs one backbone: `run(batch, n)` takes n×H×W×3 float32 values that are
//   ALREADY preprocessed (features/preprocess.ts applies the backbone's `preprocessing`) and resolves to
//   n×dim features. createFeatureEngine(id, backend) first imports the optional modules listed in
//   ENGINE_MODULES[id] (if their file exists, .ts or .js), which call
//   `registerEngineFactory(id, factory)` as a side effect, then tries the registered factories,
//   most recently registered first. A factory returns an engine, or null to decline (e.g. its
//   weight format is not in the folder), and the next one is tried; the built-in tfjs-layers
//   loader (<backbonesDir()>/<id>/model.json) is the last resort. Engines are created inside the
//   feature worker threads, which is why the hook is a module path and not a main-thread call.
//   A backbone counts as installed when its folder holds any file matching `spec.weightFiles`.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/errors.js';
import type { BackboneInfo, BackendName } from '../../../shared/types.js';
import { appDataDir } from '../../util/paths.js';
import type { ImagePrep } from '../features/preprocess.js';
import type * as tfTypes from '@tensorflow/tfjs';

export type Preprocessing = 'caffe' | 'tf';

export interface BackboneSpec {
  id: string;
  label: string;
  inputSize: number;
  featureLayer: string;
  dim: number;
  /** 'caffe': RGB→BGR, subtract ImageNet BGR means. 'tf': x/127.5 − 1. */
  preprocessing: Preprocessing;
  /** Default resize and orientation (chosen by `npm run bench -- preprocess`; see defaults there). */
  prep: ImagePrep;
  /** File-name patterns (exact names or '*.ext') whose presence in the folder means "installed". */
  weightFiles: string[];
  /** How to obtain the weights, for the MISSING_BACKBONE message. */
  howToGet: string;
}

export const BACKBONES: Record<string, BackboneSpec> = {
  resnet50: {
    id: 'resnet50',
    label: 'ResNet50 (ImageNet, Keras)',
    inputSize: 224,
    featureLayer: 'avg_pool',
    dim: 2048,
    preprocessing: 'caffe',
    // Unmeasured (no real weights here): Keras-faithful, as the research code used load_img.
    prep: { resize: 'nearest', exif: false },
    weightFiles: ['model.json', '*.onnx', '*.h5'],
    howToGet:
      'run `triplet-studio fetch-backbone resnet50`, or put the Keras ResNet50 ImageNet weights (.h5), an ONNX export, ' +
      'or a tfjs layers conversion (model.json + shards) there',
  },
  'mobilenet_v1_0.75_224': {
    id: 'mobilenet_v1_0.75_224',
    label: 'MobileNet v1 0.75 (ImageNet)',
    inputSize: 224,
    featureLayer: 'conv_pw_13_relu',
    dim: 768,
    preprocessing: 'tf',
    // Chosen by `npm run bench -- preprocess` (3-fold image-disjoint CV on train.txt only, seeds 1–5,
    // default training options; validation accuracy mean ± sd; test splits not read):
    //            antialias-v1    keras-nearest-v1   paired diff      raw features (aa / nearest)
    //   flowers  0.876 ± 0.038   0.873 ± 0.055      −0.003 ± 0.038   0.763 / 0.754
    //   trash    0.824 ± 0.028   0.829 ± 0.041      +0.005 ± 0.020   0.718 / 0.714
    // The trained difference is within noise on both sets; antialiased has the higher raw-feature
    // baseline on both and the smaller spread over seeds, so it stays. No shared photo carries an
    // EXIF orientation other than 1, so upright vs raw could not differ: Keras's raw stays.
    prep: { resize: 'antialias', exif: false },
    weightFiles: ['model.json'],
    howToGet:
      'run `triplet-studio fetch-backbone mobilenet_v1_0.75_224`, or copy the TensorFlow.js layers model ' +
      '(model.json + group*-shard* files) there',
  },
};

/**
 * Optional engine modules per backbone, relative to src/main/ml (see engineModuleUrl), imported in
 * the worker before engines are made. scripts/build-electron.mjs bundles each under the same path.
 */
export const ENGINE_MODULES: Record<string, string[]> = {
  resnet50: ['./backbone/resnet50/engine.js', './features/onnx-engine.js'],
  'mobilenet_v1_0.75_224': ['./features/onnx-engine.js'],
};

/**
 * An ENGINE_MODULES path as a URL: from the sources, relative to src/main/ml (this file's parent
 * folder); in a bundle this code sits in a flat chunk beside the bundled engine modules.
 */
function engineModuleUrl(rel: string): URL {
  const mlRoot = import.meta.url.endsWith('.ts') ? new URL('../', import.meta.url) : new URL('./', import.meta.url);
  return new URL(rel, mlRoot);
}

/** TRIPLET_STUDIO_BACKBONES, else <appDataDir()>/backbones. */
export function backbonesDir(): string {
  return process.env.TRIPLET_STUDIO_BACKBONES || join(appDataDir(), 'backbones');
}

export function backboneSpec(id: string): BackboneSpec {
  const spec = BACKBONES[id];
  if (!spec) throw new AppError('NOT_FOUND', `Unknown backbone "${id}" (known: ${Object.keys(BACKBONES).join(', ')}).`);
  return spec;
}

export const backbonePath = (id: string): string => join(backbonesDir(), id);

function matches(name: string, pattern: string): boolean {
  return pattern.startsWith('*.') ? name.toLowerCase().endsWith(pattern.slice(1).toLowerCase()) : name === pattern;
}

export function isBackboneInstalled(id: string): boolean {
  const dir = backbonePath(id);
  if (!existsSync(dir)) return false;
  const names = readdirSync(dir);
  return backboneSpec(id).weightFiles.some((p) => names.some((n) => matches(n, p)));
}

export function listBackbones(): BackboneInfo[] {
  return Object.values(BACKBONES).map((s) => ({
    id: s.id,
    label: s.label,
    inputSize: s.inputSize,
    featureLayer: s.featureLayer,
    dim: s.dim,
    preprocessing:
      (s.prep.resize === 'nearest' ? 'nearest resize (Keras load_img), ' : 'antialiased resize, ') +
      (s.preprocessing === 'caffe' ? 'caffe: RGB→BGR, subtract [103.939, 116.779, 123.68]' : 'tf: x / 127.5 − 1'),
    installed: isBackboneInstalled(s.id),
    path: backbonePath(s.id),
  }));
}

export function missingBackboneError(id: string, detail?: string): AppError {
  const spec = backboneSpec(id);
  const dir = backbonePath(id);
  return new AppError(
    'MISSING_BACKBONE',
    `Backbone "${id}" weights not found in ${dir}${detail ? ` (${detail})` : ''}. To get them: ${spec.howToGet}; ` +
      'or set TRIPLET_STUDIO_BACKBONES to a folder that holds a "' + id + '" subfolder.',
    { backbone: id, path: dir },
  );
}

// ---------- Engines ----------

export interface FeatureEngine {
  /** Shown in reports, e.g. "tfjs-layers/wasm" or "onnxruntime/cpu". */
  name: string;
  dim: number;
  inputSize: number;
  /** batch: n×H×W×3 float32, already preprocessed; resolves to n×dim features. */
  run(batch: Float32Array, n: number): Promise<Float32Array>;
  /** Releases native resources; may be async. */
  dispose?(): void | Promise<void>;
}

export interface EngineContext {
  spec: BackboneSpec;
  /** The backbone's weights folder (<backbonesDir()>/<id>). */
  dir: string;
  /** The tfjs backend to use if the engine runs on tfjs (initialised only then: tfjs takes seconds to load). */
  backend: BackendName;
  /** Feature workers running at once (engines with their own thread pools divide the cores by it). */
  workers?: number;
  /** The engine chosen by measurement (features/engine-choice.ts): factories build exactly it or decline. */
  pick?: EnginePick;
}

/** A feature engine to build: onnxruntime on an execution provider, or the tfjs layers model. */
export type EnginePick = { engine: 'onnxruntime'; provider: 'cpu' | 'cuda' } | { engine: 'tfjs'; backend: BackendName };

export type EngineFactory = (ctx: EngineContext) => Promise<FeatureEngine | null>;

const factories = new Map<string, EngineFactory[]>();

/** Adds an engine factory for a backbone; later registrations are tried first. */
export function registerEngineFactory(backboneId: string, factory: EngineFactory): void {
  const list = factories.get(backboneId) ?? [];
  list.unshift(factory);
  factories.set(backboneId, list);
}

async function importEngineModules(id: string): Promise<void> {
  for (const rel of ENGINE_MODULES[id] ?? []) {
    const url = engineModuleUrl(rel);
    const tsFile = fileURLToPath(url).replace(/\.js$/, '.ts');
    if (existsSync(fileURLToPath(url)) || (import.meta.url.endsWith('.ts') && existsSync(tsFile))) {
      await import(url.href);
    }
  }
}

/** Builds the engine for `id` in this thread (call after initBackend). */
export async function createFeatureEngine(id: string, backend: BackendName, workers?: number, pick?: EnginePick): Promise<FeatureEngine> {
  const spec = backboneSpec(id);
  await importEngineModules(id);
  const ctx: EngineContext = { spec, dir: backbonePath(id), backend: pick?.engine === 'tfjs' ? pick.backend : backend, workers, pick };
  for (const f of factories.get(id) ?? []) {
    const engine = await f(ctx);
    if (engine) return engine;
  }
  // A chosen onnxruntime engine that no factory built must not silently become tfjs.
  if (pick?.engine === 'onnxruntime') throw new Error(`the onnxruntime engine (${pick.provider}) is not available for ${id}`);
  return createTfLayersEngine(ctx);
}

// ---------- Built-in tfjs layers engine ----------

/** tfjs-node's file:// loader is not available here: read model.json and its shards with fs. */
export function fileSystemHandler(modelJsonPath: string): tfTypes.io.IOHandler {
  const dir = join(modelJsonPath, '..');
  return {
    load: async () => {
      const { tf } = await import('../backend/tfjs.js');
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tfTypes.io.ModelJSON;
      const { shardPathProblems } = await import('../convert/layers-folder.js');
      const unsafe = shardPathProblems(json as never);
      if (unsafe.length > 0) throw new AppError('INVALID_FILE', `${modelJsonPath}: ${unsafe.join('; ')}`);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tfTypes.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const buf = await readFile(join(dir, p));
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

export async function createTfLayersEngine(ctx: EngineContext): Promise<FeatureEngine> {
  const { tf, initBackend } = await import('../backend/tfjs.js');
  await initBackend(ctx.backend);
  const { spec, dir } = ctx;
  const modelJson = join(dir, 'model.json');
  if (!existsSync(modelJson)) throw missingBackboneError(spec.id, 'no model.json');
  let full: tfTypes.LayersModel;
  try {
    full = await tf.loadLayersModel(fileSystemHandler(modelJson));
  } catch (err) {
    throw new AppError('MISSING_BACKBONE', `Could not load ${modelJson}: ${(err as Error).message}`, { backbone: spec.id });
  }
  let layer: tfTypes.layers.Layer;
  try {
    layer = full.getLayer(spec.featureLayer);
  } catch {
    throw new AppError('MISSING_BACKBONE', `${modelJson} has no layer "${spec.featureLayer}".`, { backbone: spec.id });
  }
  // Truncate at the feature layer; spatial maps (mobilenet, old-Keras avg_pool 1×1) are averaged to a vector.
  const truncated = tf.model({ inputs: full.inputs, outputs: layer.output as tfTypes.SymbolicTensor });
  const size = spec.inputSize;
  return {
    name: `tfjs-layers/${ctx.backend}`,
    dim: spec.dim,
    inputSize: size,
    async run(batch, n) {
      const out = tf.tidy(() => {
        const x = tf.tensor4d(batch, [n, size, size, 3]);
        let y = truncated.predict(x) as tfTypes.Tensor;
        if (y.rank === 4) y = tf.mean(y, [1, 2]);
        return y.reshape([n, -1]);
      });
      const data = (await out.data()) as Float32Array;
      out.dispose();
      if (data.length !== n * spec.dim) throw new Error(`${spec.id}: expected ${spec.dim}-d features, got ${data.length / n}`);
      return data;
    },
    dispose() {
      full.dispose();
    },
  };
}
