// onnxruntime-node feature engine: the fastest engine measured on this kind of machine (see
// bench/features.ts). Registered through ml's engine hook for every backbone; it declines (returns
// null → tfjs fallback) when onnxruntime-node is not installed or the folder has no model.json.
// The ONNX graph is generated from model.json in code (BN folded) and cached beside it as
// model.onnx, rebuilt when model.json or a shard changes.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { appDataDir } from '../../util/paths.js';
import { isMarkedReadOnly } from '../../util/read-only.js';
import { BACKBONES, registerEngineFactory, type BackboneSpec, type FeatureEngine } from '../backbone/registry.js';
import { ensureResNet50Folder } from '../backbone/resnet50/install.js';
import { ONNX_BUILDER_VERSION } from '../convert/onnx-version.js';
import { layersFolderFingerprint } from '../convert/layers-folder.js';
import { withFileLock } from './onnx-lock.js';

type Ort = typeof import('onnxruntime-node');

export type { EngineStatus } from '../../../shared/types.js';
import type { EngineStatus } from '../../../shared/types.js';
import { flushFolder, writeFileFlushed } from '../../util/durable.js';
import { makeDirs } from '../../util/make-dirs.js';

let ortPromise: Promise<Ort> | null = null;

/** onnxruntime-node is an optional dependency: import it lazily and remember the outcome. */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= (async () => {
    const spec: string = 'onnxruntime-node';
    try {
      return (await import(spec)) as Ort;
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      throw new Error(/Cannot find (package|module)/.test(msg) ? 'not installed' : `failed to load: ${msg.split('\n')[0]}`);
    }
  })();
  ortPromise.catch(() => {});
  return ortPromise;
}

/** Whether onnxruntime-node's CUDA execution provider library is present (installed by `npm run gpu`). */
export function hasCudaProvider(): boolean {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const napi = readdirSync(join(pkg, 'bin')).find((d) => d.startsWith('napi-v'));
    const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return napi !== undefined && existsSync(join(pkg, 'bin', napi, process.platform, process.arch, file));
  } catch {
    return false;
  }
}

/** Which feature engines can run here, and why not when they cannot. */
export async function probeFeatureEngines(): Promise<EngineStatus[]> {
  const forced = process.env.TRIPLET_STUDIO_ENGINE;
  let onnx: EngineStatus;
  try {
    const ort = await loadOrt();
    // The CUDA provider (npm run gpu) is a separate candidate of the measured choice (engine-choice.ts).
    const cuda = hasCudaProvider() ? '; CUDA execution provider installed (npm run gpu): a measured candidate' : '';
    onnx = { name: 'onnxruntime', available: true, detail: `onnxruntime-node ${ort.env.versions?.node ?? ''}, CPU execution provider, ${ortThreads(1)} threads${cuda}` };
  } catch (err) {
    onnx = { name: 'onnxruntime', available: false, reason: (err as Error).message };
  }
  if (onnx.available && forced === 'tfjs') onnx = { ...onnx, available: false, reason: 'disabled by TRIPLET_STUDIO_ENGINE=tfjs' };
  return [onnx, { name: 'tfjs-layers', available: true, detail: 'fallback: tfjs layers model on the tfjs backend' }];
}

/**
 * Threads for one session: the cores divided among the feature workers running at once (`workers`
 * when the caller says; otherwise extractFeatures's default of one worker per core is assumed).
 */
export function ortThreads(workers?: number): number {
  const env = Number(process.env.TRIPLET_STUDIO_ORT_THREADS);
  if (env > 0) return Math.floor(env);
  const cores = availableParallelism();
  if (workers && workers > 0) return Math.max(1, Math.floor(cores / workers));
  return isMainThread ? cores : 1;
}

/**
 * How extractFeatures should run a backbone when onnxruntime will be used: one worker whose session
 * uses every core. Measured on the 2-core machine (bench/features.ts, 60 photos end to end):
 * 1 worker × 2 threads beat 2 workers × 1 thread for both backbones (ResNet50 5.4 vs 5.0 images/s,
 * MobileNet 12.7 vs 8.6) and used less CPU per image (no second worker start-up, one model copy).
 * Returns null when the onnxruntime engine will not be used (then keep one tfjs worker per core).
 */
export async function onnxWorkerPlan(spec: BackboneSpec, dir: string): Promise<{ workers: number; threads: number } | null> {
  if (process.env.TRIPLET_STUDIO_ENGINE === 'tfjs') return null;
  const ready = existsSync(join(dir, 'model.json')) || (spec.id === 'resnet50' && existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.h5')));
  if (!ready) return null;
  try {
    await loadOrt();
  } catch {
    return null;
  }
  return { workers: 1, threads: ortThreads(1) };
}

interface OnnxStamp {
  fingerprint: string;
  builder: number;
  featureLayer: string;
}

/** Cache beside model.json, or under the app data folder when the backbone folder is read-only. */
function cachePaths(dir: string, stampKey: string): Array<{ onnx: string; stamp: string; lock: string }> {
  const fallbackDir = join(appDataDir(), 'cache', 'onnx');
  const tag = createHash('sha256').update(`${dir}\n${stampKey}`).digest('hex').slice(0, 16);
  const fallback = { onnx: join(fallbackDir, `${tag}.onnx`), stamp: join(fallbackDir, `${tag}.onnx.json`), lock: join(fallbackDir, `${tag}.lock`) };
  if (isMarkedReadOnly(dir)) return [fallback];
  return [
    { onnx: join(dir, 'model.onnx'), stamp: join(dir, 'model.onnx.json'), lock: join(dir, '.onnx.lock') },
    fallback,
  ];
}

function stampMatches(path: string, want: OnnxStamp): boolean {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as OnnxStamp;
    return s.fingerprint === want.fingerprint && s.builder === want.builder && s.featureLayer === want.featureLayer;
  } catch {
    return false;
  }
}

/** Returns the path of an up-to-date ONNX model for the layers folder `dir`, building it if needed. */
export async function ensureOnnxModel(dir: string, featureLayer: string): Promise<string> {
  const want: OnnxStamp = { fingerprint: layersFolderFingerprint(dir), builder: ONNX_BUILDER_VERSION, featureLayer };
  const key = JSON.stringify(want);
  let lastErr: unknown;
  for (const p of cachePaths(dir, key)) {
    const fresh = (): boolean => existsSync(p.onnx) && stampMatches(p.stamp, want);
    if (fresh()) return p.onnx;
    try {
      makeDirs(join(p.onnx, '..'));
      await withFileLock(p.lock, fresh, async () => {
        // The builder (protobufjs) is only loaded when a model must be (re)generated.
        const { buildOnnxFromLayersFolder } = await import('../convert/onnx-build.js');
        const bytes = buildOnnxFromLayersFolder(dir, { featureLayer });
        const tmp = `${p.onnx}.${process.pid}.tmp`;
        // Flushed before the stamp says it is current: after a power cut an empty model.onnx with a
        // matching stamp would fail every embed until the folder changed (util/durable.ts).
        writeFileFlushed(tmp, bytes);
        renameSync(tmp, p.onnx);
        flushFolder(dirname(p.onnx));
        writeFileSync(p.stamp, JSON.stringify(want));
      });
      if (fresh()) return p.onnx;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw err;
      lastErr = err; // read-only backbone folder: try the app data cache
    }
  }
  throw lastErr ?? new Error(`could not write the ONNX model for ${dir}`);
}

/**
 * onnxruntime's graph optimisation (layout transforms for this CPU's SIMD width, fusions) costs
 * ~0.3–1 s per session. The optimised graph is saved once beside model.onnx, keyed by the
 * onnxruntime version, this CPU's model and flags, and model.onnx itself, and later sessions load it
 * without re-optimising. Any problem with the saved file falls back to optimising again.
 */
function optimisedPath(ort: Ort, path: string): string {
  let cpu = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = `${/^model name.*$/m.exec(info)?.[0]}|${/^flags.*$/m.exec(info)?.[0]}`;
  } catch {
    cpu = `${process.platform}-${process.arch}`;
  }
  const st = statSync(path);
  const key = createHash('sha256').update(`${ort.env.versions?.common}|${cpu}|${st.size}|${st.mtimeMs}`).digest('hex').slice(0, 16);
  return `${path}.opt-${key}`;
}

/** Optimised graphs of earlier model.onnx versions (or another CPU / onnxruntime) are removed. */
function removeStaleOptimised(path: string, keep: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.opt-`;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(prefix) && !f.endsWith('.tmp') && join(dir, f) !== keep) rmSync(join(dir, f), { force: true });
  }
}

async function openSession(ort: Ort, path: string, threads: number, provider: 'cpu' | 'cuda' = 'cpu'): Promise<import('onnxruntime-node').InferenceSession> {
  const base = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential' as const,
    logSeverityLevel: 3 as const, // errors only: its warnings are about internals a user cannot act on
  };
  // CUDA: the graph is optimised for the GPU each time (the saved graph below is the CPU one); a
  // missing CUDA runtime or device fails here, which the caller's fallback handles.
  if (provider === 'cuda') return ort.InferenceSession.create(path, { ...base, executionProviders: ['cuda'], graphOptimizationLevel: 'all' });
  const opt = optimisedPath(ort, path);
  if (existsSync(opt)) {
    try {
      return await ort.InferenceSession.create(opt, { ...base, graphOptimizationLevel: 'disabled' });
    } catch {
      /* stale or damaged: optimise again below */
    }
  }
  const tmp = `${opt}.${process.pid}.${threadId}.tmp`;
  try {
    const session = await ort.InferenceSession.create(path, { ...base, graphOptimizationLevel: 'all', optimizedModelFilePath: tmp });
    try {
      renameSync(tmp, opt);
      removeStaleOptimised(path, opt);
    } catch {
      /* read-only folder: only this session benefits */
    }
    return session;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Creates an onnxruntime engine for a backbone folder (model.json present). */
export async function createOnnxEngine(spec: BackboneSpec, dir: string, threads = ortThreads(), provider: 'cpu' | 'cuda' = 'cpu'): Promise<FeatureEngine> {
  const ort = await loadOrt();
  if (provider === 'cuda' && !hasCudaProvider()) throw new Error('the installed onnxruntime-node has no CUDA execution provider (npm run gpu adds it)');
  const path = await ensureOnnxModel(dir, spec.featureLayer);
  const session = await openSession(ort, path, threads, provider);
  const size = spec.inputSize;
  return {
    name: provider === 'cuda' ? 'onnxruntime/cuda' : `onnxruntime/cpu×${threads}`,
    dim: spec.dim,
    inputSize: size,
    async run(batch, n) {
      const input = new ort.Tensor('float32', batch.subarray(0, n * size * size * 3), [n, size, size, 3]);
      const out = await session.run({ input });
      const data = out.features.data as Float32Array;
      if (data.length !== n * spec.dim) throw new Error(`${spec.id}: ONNX model gave ${data.length / n}-d features, expected ${spec.dim}`);
      // Copy out of onnxruntime's buffer so the caller may transfer it.
      return new Float32Array(data);
    },
    dispose() {
      void session.release();
    },
  };
}

for (const id of Object.keys(BACKBONES)) {
  registerEngineFactory(id, async (ctx) => {
    if (ctx.pick?.engine === 'tfjs') return null;
    if (id === 'resnet50') await ensureResNet50Folder(ctx.dir);
    // A measured choice of onnxruntime is built exactly as chosen: failures reach the caller's fallback.
    if (ctx.pick?.engine === 'onnxruntime') return createOnnxEngine(ctx.spec, ctx.dir, ortThreads(ctx.workers), ctx.pick.provider);
    if (process.env.TRIPLET_STUDIO_ENGINE === 'tfjs') return null;
    if (!existsSync(join(ctx.dir, 'model.json'))) return null;
    try {
      await loadOrt();
    } catch {
      return null; // not installed here: the tfjs engine takes over
    }
    try {
      // `workers` is passed by extractFeatures when it knows how many engines run at once.
      return await createOnnxEngine(ctx.spec, ctx.dir, ortThreads(ctx.workers));
    } catch (err) {
      // A topology the ONNX builder does not cover still runs, slower, on tfjs.
      if (err instanceof AppError && /not supported for ONNX export/.test(err.message)) {
        process.emitWarning(`${ctx.spec.id}: ${err.message} Using the tfjs engine.`);
        return null;
      }
      throw err;
    }
  });
}
