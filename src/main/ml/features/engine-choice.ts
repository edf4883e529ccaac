// The feature engine chosen by measurement (issue 12.2), per backbone and per machine, with the same
// logic and store as the training backend (backend/choose.ts, compute-choice.json, task
// "features:<backbone>"). Candidates: onnxruntime on its CPU or CUDA execution provider, and the
// tfjs layers model on each tfjs backend that loads (tensorflow-gpu, tensorflow, wasm; the plain-JS
// cpu backend is only the last resort). Each runnable one is timed in its own feature worker(s) on the
// same few images (8 rows; a warm-up, then the median of 3), the work split over the workers the engine
// would run with, so the time is for the same images whatever the engine's parallelism. The
// fingerprint adds onnxruntime's CUDA provider to the installed packages: `npm run gpu` re-measures.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { FEATURE_ENGINE_ORDER, type BackendName, type FeatureEngineChoice, type FeatureEngineName } from '../../../shared/types.js';
import { startWorker } from '../../util/worker.js';
import { fromWorkerError } from '../../util/worker-rpc.js';
import { type Candidate, type Choice, type ChoiceStore, chooseFastest, fileChoiceStore } from '../backend/choose.js';
import { probeBackends } from '../backend/tfjs.js';
import { choiceFile, installFingerprint } from '../backend/train-choice.js';
import { backbonePath, backboneSpec, type EnginePick } from '../backbone/registry.js';
import type { FeatureWorkerInput, FromFeatureWorker, ToFeatureWorker } from './features-worker.js';
import { hasCudaProvider, loadOrt, onnxWorkerPlan } from './onnx-engine.js';
import type { ImagePrep } from './preprocess.js';

/** Rows per timed run: enough to keep a GPU busy, few enough that tfjs-wasm on ResNet50 takes seconds. */
export const TIMING_ROWS = 8;

export const engineTask = (backbone: string): string => `features:${backbone}`;

export function parseEngineName(name: string): EnginePick {
  if (name === 'onnxruntime-cpu' || name === 'onnxruntime-cuda') return { engine: 'onnxruntime', provider: name === 'onnxruntime-cuda' ? 'cuda' : 'cpu' };
  if (name.startsWith('tfjs-')) return { engine: 'tfjs', backend: name.slice(5) as BackendName };
  throw new Error(`unknown feature engine "${name}" (known: ${FEATURE_ENGINE_ORDER.join(', ')})`);
}

/** Worker threads an engine runs with: one for engines with their own thread pool, one per core for wasm. */
export function engineWorkers(name: string): number {
  return name === 'tfjs-wasm' ? availableParallelism() : 1;
}

/** Every candidate for `backbone`, with why it cannot run here (without loading a model). */
export async function engineCandidates(backbone: string): Promise<{ name: FeatureEngineName; unavailable?: string }[]> {
  const spec = backboneSpec(backbone);
  const forced = process.env.TRIPLET_STUDIO_ENGINE;
  let ort: string | undefined;
  try {
    await loadOrt();
    // onnxWorkerPlan also says no when tfjs is forced: name that, not a missing model.json.
    if (forced === 'tfjs') ort = 'TRIPLET_STUDIO_ENGINE=tfjs';
    else if (!(await onnxWorkerPlan(spec, backbonePath(backbone)))) ort = 'no model.json (or .h5) in the backbone folder to build the ONNX model from';
  } catch (err) {
    ort = (err as Error).message;
  }
  const cuda = ort ?? (hasCudaProvider() ? undefined : `the installed onnxruntime-node has only its CPU provider (\`npm run gpu\` adds CUDA where an NVIDIA driver is present${noDriver()})`);
  const tfjs = new Map((await probeBackends()).map((s) => [s.name, s.available ? undefined : s.reason ?? 'unavailable']));
  const out = FEATURE_ENGINE_ORDER.map((name) => {
    let why = name === 'onnxruntime-cpu' ? ort : name === 'onnxruntime-cuda' ? cuda : tfjs.get(name.slice(5) as BackendName);
    if (!why && forced && forced !== name && !(forced === 'tfjs' && name.startsWith('tfjs-'))) why = `TRIPLET_STUDIO_ENGINE=${forced}`;
    return { name, unavailable: why };
  });
  return out;
}

/** Linux without the NVIDIA kernel driver: said beside the CUDA candidate's reason. */
const noDriver = (): string => (process.platform === 'linux' && !existsSync('/proc/driver/nvidia/version') ? '; this machine has no NVIDIA driver' : '');

/** The installed set (train-choice.ts) plus what only changes the feature engines: the CUDA provider. */
export function engineFingerprint(): string {
  return `${installFingerprint()}+cuda:${hasCudaProvider() ? 1 : 0}`;
}

/**
 * A candidate that runs the engine in its own worker(s) on the sample: `run` sends each worker its
 * share of TIMING_ROWS and resolves when all answered; `close` stops the workers (they release the
 * engine first: terminating onnxruntime mid-call aborts the process).
 */
function workerCandidate(backbone: string, name: FeatureEngineName, base: Omit<FeatureWorkerInput, 'pick' | 'workers' | 'backbone'>): Candidate & { close(): void } {
  const n = engineWorkers(name);
  let workers: Promise<Worker[]> | null = null;
  let seq = 0;
  const waiting = new Map<string, { resolve(): void; reject(e: unknown): void }>();
  const failAll = (err: unknown): void => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  const start = (): Promise<Worker[]> =>
    Promise.all(
      Array.from({ length: n }, (_, i) => {
        const w = startWorker(new URL('./features-worker.js', import.meta.url), { ...base, backbone, workers: n, pick: parseEngineName(name) } satisfies FeatureWorkerInput);
        return new Promise<Worker>((resolve, reject) => {
          w.on('message', (msg: FromFeatureWorker) => {
            if (msg.t === 'ready') resolve(w);
            else if (msg.t === 'timed') waiting.get(`${i}:${msg.seq}`)?.resolve();
            else if (msg.t === 'error') {
              const err = fromWorkerError(msg.error);
              reject(err);
              failAll(err);
            }
          });
          w.on('error', (err) => (reject(err), failAll(err)));
          w.on('exit', (code) => {
            const err = new Error(`feature worker exited (code ${code})`);
            reject(err);
            failAll(err);
          });
        });
      }),
    );
  return {
    name,
    async run() {
      workers ??= start();
      const ws = await workers;
      const s = seq++;
      await Promise.all(
        ws.map((w, i) => {
          const rows = Math.floor(TIMING_ROWS / n) + (i < TIMING_ROWS % n ? 1 : 0);
          return new Promise<void>((resolve, reject) => {
            waiting.set(`${i}:${s}`, { resolve, reject });
            w.postMessage({ t: 'time', seq: s, rows } satisfies ToFeatureWorker);
          });
        }),
      );
    },
    close() {
      void workers?.then((ws) => ws.forEach((w) => w.postMessage({ t: 'stop' } satisfies ToFeatureWorker))).catch(() => {});
    },
  };
}

export interface ChooseEngineOptions {
  remeasure?: boolean;
  /** Images to time on (the first few of the embed); none: a synthetic batch. */
  sample?: string[];
  prep?: ImagePrep;
  /** Injected for tests (simulated providers); default: real engines in feature workers. */
  candidates?: Candidate[];
  store?: ChoiceStore;
  fingerprint?: string;
  now?: () => number;
}

/** The feature engine for `backbone`: remembered when the fingerprint matches, else measured now. */
export async function chooseFeatureEngine(backbone: string, opts: ChooseEngineOptions = {}): Promise<Choice> {
  let real: (Candidate & { close(): void })[] = [];
  if (!opts.candidates) {
    const base = { backend: 'wasm' as const, prep: opts.prep ?? backboneSpec(backbone).prep, sample: opts.sample?.slice(0, TIMING_ROWS) };
    real = (await engineCandidates(backbone)).map((c) =>
      c.unavailable ? { name: c.name, unavailable: c.unavailable, run: async () => {}, close() {} } : workerCandidate(backbone, c.name, base),
    );
  }
  const candidates = opts.candidates ?? real;
  // Nothing else runs (no onnxruntime, no tfjs backend): the plain-JS tfjs backend, slow but there.
  if (candidates.every((c) => c.unavailable)) {
    const measured = candidates.map((c) => ({ name: c.name, error: c.unavailable }));
    return { task: engineTask(backbone), chosen: 'tfjs-cpu', why: 'nothing else runs here: the plain-JS tfjs backend (slow)', measured, fingerprint: '', at: new Date().toISOString() };
  }
  try {
    return await chooseFastest(engineTask(backbone), candidates, {
      store: opts.store ?? fileChoiceStore(choiceFile()),
      fingerprint: opts.fingerprint ?? engineFingerprint(),
      remeasure: opts.remeasure,
      now: opts.now,
    });
  } finally {
    for (const c of real) c.close();
  }
}

/** The engines to try, best first: the choice, then the others that measured, fastest first. */
export function fallbackOrder(choice: Choice): string[] {
  const timed = choice.measured.filter((m) => m.ms !== undefined && m.name !== choice.chosen).sort((a, b) => a.ms! - b.ms!);
  const untimed = choice.measured.filter((m) => m.ms === undefined && !m.error && m.name !== choice.chosen);
  return [choice.chosen, ...timed.map((m) => m.name), ...untimed.map((m) => m.name)];
}

/**
 * Records that `failed` broke at run time: the store then names `next` with why, so the next embed
 * does not try the broken engine first (a changed fingerprint measures everything again).
 */
export function recordRunFailure(choice: Choice, failed: string, next: string, message: string, store: ChoiceStore = fileChoiceStore(choiceFile())): Choice {
  const updated: Choice = {
    ...choice,
    chosen: next,
    why: `${failed} failed at run time (${message.split('\n')[0]}); using ${next}, the next fastest`,
    measured: choice.measured.map((m) => (m.name === failed ? { name: m.name, error: `failed at run time: ${message.split('\n')[0]}` } : m)),
    fromCache: undefined,
  };
  store.write(updated);
  return updated;
}

/** What runs per backbone and why, without measuring (the app's Train view); `measure` times missing ones. */
export async function featureEngineReport(backbones: string[], opts: { measure?: boolean; remeasure?: boolean; store?: ChoiceStore } = {}): Promise<FeatureEngineChoice[]> {
  const store = opts.store ?? fileChoiceStore(choiceFile());
  const out: FeatureEngineChoice[] = [];
  for (const backbone of backbones) {
    const candidates = await engineCandidates(backbone);
    if (opts.measure || opts.remeasure) {
      try {
        const c = await chooseFeatureEngine(backbone, { remeasure: opts.remeasure, store });
        out.push({ backbone, candidates, choice: { chosen: c.chosen, why: c.why, measured: c.measured, at: c.at, fromCache: c.fromCache } });
      } catch (err) {
        out.push({ backbone, candidates, note: (err as Error).message });
      }
      continue;
    }
    const stored = store.read(engineTask(backbone));
    const runnable = candidates.filter((c) => !c.unavailable);
    if (stored && stored.fingerprint === engineFingerprint() && runnable.some((c) => c.name === stored.chosen)) {
      out.push({ backbone, candidates, choice: { chosen: stored.chosen, why: stored.why, measured: stored.measured, at: stored.at, fromCache: true } });
    } else if (runnable.length === 1) {
      out.push({ backbone, candidates, choice: { chosen: runnable[0].name, why: 'the only one that runs here', measured: [], at: new Date().toISOString() } });
    } else {
      out.push({ backbone, candidates, note: stored ? 'what is installed changed since the last measurement: measured again at the next embed' : 'not measured yet: measured at the first embed' });
    }
  }
  return out;
}
