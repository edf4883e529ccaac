// Run-time choice of the tfjs compute backend: tensorflow-gpu → tensorflow → wasm → cpu.
// The native backends (@tensorflow/tfjs-node(-gpu)) are optional dependencies and are imported
// dynamically, so their absence (or a broken native library) never breaks the app: it only
// shows up as a reason in probeBackends().
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors.js';
import { BACKEND_ORDER, type BackendName, type BackendReport, type BackendStatus } from '../../../shared/types.js';

const require = createRequire(import.meta.url);

let tfjs: typeof TF | null = null;

/**
 * tfjs itself, loaded on first use. Importing it takes about 0.7 s here, half of every start of the
 * app, of each CLI command and of each test process, most of which never touch a tensor.
 */
function loadTf(): typeof TF {
  if (!tfjs) {
    tfjs = require('@tensorflow/tfjs') as typeof TF;
    // tfjs prints an "install tfjs-node" banner on first use of the cpu backend and warns about kernel
    // re-registration; neither means anything here. Set before any tensor exists, in every thread.
    tfjs.env().set('PROD', true);
  }
  return tfjs;
}

/** `tf` as `import * as tf from '@tensorflow/tfjs'` gives it, except that the package loads at the first `tf.x`. */
const tf = new Proxy({} as typeof TF, {
  get: (_t, key) => Reflect.get(loadTf(), key),
  has: (_t, key) => Reflect.has(loadTf(), key),
  ownKeys: () => Reflect.ownKeys(loadTf()),
  getOwnPropertyDescriptor: (_t, key) => {
    const d = Reflect.getOwnPropertyDescriptor(loadTf(), key);
    return d && { ...d, configurable: true };
  },
});

// The tfjs types the engine names as `tf.X` (the namespace has types only, so it merges with the value).
declare namespace tf {
  export type Tensor = TF.Tensor;
  export type Tensor1D = TF.Tensor1D;
  export type Tensor2D = TF.Tensor2D;
  export type Scalar = TF.Scalar;
  export type Variable = TF.Variable;
  export type GradSaveFunc = TF.GradSaveFunc;
  export type Optimizer = TF.Optimizer;
  export type LayersModel = TF.LayersModel;
}

interface BackendSpec {
  name: BackendName;
  pkg: string;
  kind: BackendStatus['kind'];
  /** The tfjs backend name registered by `pkg`. */
  tfName: string;
  /** Registers the backend with tfjs; throws with a readable reason when impossible. */
  load: () => Promise<void>;
}

const SPECS: Record<BackendName, BackendSpec> = {
  'tensorflow-gpu': {
    name: 'tensorflow-gpu',
    pkg: '@tensorflow/tfjs-node-gpu',
    kind: 'GPU',
    tfName: 'tensorflow',
    load: () => importNative('@tensorflow/tfjs-node-gpu'),
  },
  tensorflow: {
    name: 'tensorflow',
    pkg: '@tensorflow/tfjs-node',
    kind: 'CPU',
    tfName: 'tensorflow',
    load: () => importNative('@tensorflow/tfjs-node'),
  },
  wasm: { name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', kind: 'WASM', tfName: 'wasm', load: loadWasm },
  cpu: { name: 'cpu', pkg: '@tensorflow/tfjs', kind: 'CPU', tfName: 'cpu', load: async () => {} },
};

/** Cached outcome of each load attempt (a failed native load is not retried). */
const loaded = new Map<BackendName, Promise<void>>();
let current: BackendName | null = null;

/** True when `pkg` cannot even be resolved (as opposed to failing while loading). */
function isNotInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return false;
  } catch {
    return true;
  }
}

async function importNative(pkg: string): Promise<void> {
  if (isNotInstalled(pkg)) throw new Error('not installed');
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const spec: string = pkg;
    await import(spec);
  } catch (err) {
    throw new Error(describeNativeFailure(err));
  }
}

/** Turns a native-addon load failure into a short reason a user can act on. */
function describeNativeFailure(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const lib = /(lib(?:cuda|cudart|cublas|cudnn|cufft|curand|cusolver|cusparse|nvinfer)[\w.\-]*)/i.exec(msg);
  if (lib) return `CUDA library not found (${lib[1]})`;
  if (/libtensorflow/i.test(msg)) return `TensorFlow native library failed to load: ${firstLine(msg)}`;
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/i.test(msg)) {
    return `native addon built for another Node.js version: ${firstLine(msg)}`;
  }
  return `failed to load: ${firstLine(msg)}`;
}

const firstLine = (s: string): string => s.split('\n')[0].slice(0, 300);

/** The wasm backend's dist folder (holds the .wasm binaries), resolved from its package. */
export function wasmDistDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

async function loadWasm(): Promise<void> {
  if (isNotInstalled('@tensorflow/tfjs-backend-wasm')) throw new Error('not installed');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Node has no SharedArrayBuffer-based worker pool for it: SIMD, one thread.
  wasm.setWasmPaths(wasmDistDir() + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

function loadOnce(name: BackendName): Promise<void> {
  let p = loaded.get(name);
  if (!p) {
    p = SPECS[name].load();
    loaded.set(name, p);
    p.catch(() => {}); // observed by callers; avoid unhandled-rejection noise
  }
  return p;
}

/** Loads a backend's package and checks tfjs can initialise it (the wasm binary, the native lib). */
async function tryBackend(name: BackendName): Promise<BackendStatus> {
  const spec = SPECS[name];
  const base = { name, pkg: spec.pkg, kind: spec.kind };
  try {
    await loadOnce(name);
    if (!tf.findBackendFactory(spec.tfName)) throw new Error(`${spec.pkg} did not register the "${spec.tfName}" backend`);
    // tfjs-node-gpu only loads when its CUDA libraries are found (else the reason above says which
    // one is missing); it exposes no public query for a visible GPU, so a successful load counts.
    return { ...base, available: true };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ...base, available: false, reason };
  }
}

/** Every backend with whether it can be used here and, if not, why. */
export async function probeBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of BACKEND_ORDER) out.push(await tryBackend(name));
  return out;
}

/** Switches tfjs to `name` and waits until it is ready. */
async function activate(name: BackendName): Promise<void> {
  const before = processListeners();
  const ok = await tf.setBackend(SPECS[name].tfName);
  if (!ok) throw new Error(`tfjs could not initialise the ${name} backend`);
  await tf.ready();
  removeAddedListeners(before);
  current = name;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

type Listener = (...args: unknown[]) => void;
const listenersOf = (e: ProcessEvent): Listener[] => process.listeners(e as 'uncaughtException') as unknown as Listener[];

function processListeners(): Map<ProcessEvent, Listener[]> {
  return new Map(PROCESS_EVENTS.map((e) => [e, listenersOf(e)]));
}

/**
 * The wasm backend's Emscripten glue installs process-wide handlers that rethrow every uncaught
 * error and unhandled rejection, printing its whole minified source; Node already treats both as
 * fatal by default, so removing them only keeps the host's own handlers and error output intact.
 */
function removeAddedListeners(before: Map<ProcessEvent, Listener[]>): void {
  for (const e of PROCESS_EVENTS) {
    for (const l of listenersOf(e)) if (!before.get(e)!.includes(l)) process.removeListener(e, l);
  }
}

let initPromise: Promise<BackendReport> | null = null;
let initPrefer: BackendName | undefined;

/**
 * Picks the best available backend (or `prefer`, failing with a reason when it is unavailable).
 * Idempotent: repeated calls with the same preference share one initialisation.
 */
export function initBackend(prefer?: BackendName): Promise<BackendReport> {
  if (initPromise && (prefer === undefined || prefer === initPrefer || prefer === current)) return initPromise;
  initPrefer = prefer;
  initPromise = doInit(prefer);
  initPromise.catch(() => {
    initPromise = null;
  });
  return initPromise;
}

async function doInit(prefer?: BackendName): Promise<BackendReport> {
  const statuses = await probeBackends();
  if (prefer) {
    const st = statuses.find((s) => s.name === prefer);
    if (!st?.available) {
      throw new AppError('BAD_ARGUMENTS', `Backend "${prefer}" is not available: ${st?.reason ?? 'unknown backend'}.`, { statuses });
    }
    await activate(prefer);
    return { used: prefer, statuses };
  }
  const errors: string[] = [];
  for (const st of statuses) {
    if (!st.available) continue;
    try {
      await activate(st.name);
      return { used: st.name, statuses };
    } catch (err) {
      st.available = false;
      st.reason = err instanceof Error ? err.message : String(err);
      errors.push(`${st.name}: ${st.reason}`);
    }
  }
  throw new AppError('INTERNAL', `No compute backend could be initialised (${errors.join('; ')}).`, { statuses });
}

/** The backend in use, or null before initBackend(). */
export function currentBackend(): BackendName | null {
  return current;
}

export { tf };
