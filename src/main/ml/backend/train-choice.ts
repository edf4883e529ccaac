// The training backend chosen by measurement (choose.ts) among the tfjs backends that load here:
// each does one forward and backward pass of the encoder (768 → 512 → 10, 192 rows, the customGrad
// dense layers training uses) and the fastest is remembered per machine. The plain-JS cpu backend is
// only a fallback (≈30× slower than wasm: bench/ml.ts) and is not measured when another one runs.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { BackendName, BackendReport, BackendStatus, TrainBackendName } from '../../../shared/types.js';
import { tfjsBackendOf } from '../encoder/engine.js';
import { ortTrainCandidate } from '../encoder/ort/candidate.js';
import { appDataDir } from '../../util/paths.js';
import { createFastEncoder } from '../encoder/model.js';
import { type Candidate, type Choice, chooseFastest, fileChoiceStore } from './choose.js';
import { initBackend, probeBackends, tf } from './tfjs.js';

const require = createRequire(import.meta.url);

/** Versions of what decides the candidates' speed: optional native packages, Node, the CPU. */
export function installFingerprint(): string {
  const version = (pkg: string): string => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'absent';
    }
  };
  const parts = {
    packages: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node'].map((p) => `${p}@${version(p)}`),
    node: process.versions.node,
    cpu: `${cpus()[0]?.model ?? '?'} ×${cpus().length}`,
    platform: `${process.platform}-${process.arch}`,
    cudaPath: process.env.LD_LIBRARY_PATH ?? process.env.CUDA_PATH ?? '',
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/** One encoder forward + backward pass on `name`: the workload the backends are timed on. */
async function encoderPass(name: BackendName): Promise<void> {
  await initBackend(name);
  const net = createFastEncoder({ inputDim: 768, hidden: 512, embedding: 10 }, 1);
  try {
    const x = tf.randomUniform([192, 768]) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x, 0.3, 7)) as tf.Scalar, net.variables);
    await grads[net.variables[0].name].data();
    tf.dispose([x, value, ...Object.values(grads)]);
  } finally {
    net.dispose();
  }
}

/** Where the measured choices are remembered: TRIPLET_STUDIO_COMPUTE_CHOICE (a file path) overrides `<app data>/compute-choice.json`. */
export const choiceFile = (): string => process.env.TRIPLET_STUDIO_COMPUTE_CHOICE || join(appDataDir(), 'compute-choice.json');

/**
 * The tfjs backends that load here as candidates (the plain-JS cpu one only when nothing else runs),
 * then onnxruntime-node's training step (ORT_TRAIN, ort-candidate.ts). Preferred first on ties.
 */
export function trainCandidates(statuses: BackendStatus[], tfjsRun: (name: BackendName) => Promise<void>, ort: Candidate): Candidate[] {
  const others = statuses.some((s) => s.available && s.name !== 'cpu') || !ort.unavailable;
  return [
    ...statuses.map((s) => ({
      name: s.name,
      unavailable: !s.available ? s.reason ?? 'unavailable' : s.name === 'cpu' && others ? 'plain-JS fallback, not measured' : undefined,
      run: () => tfjsRun(s.name),
    })),
    ort,
  ];
}

/** The training backend to use by default: remembered, else measured now. Leaves that backend active. */
export async function chooseTrainBackend(opts: { remeasure?: boolean } = {}): Promise<Choice> {
  const statuses = await probeBackends();
  const candidates = trainCandidates(statuses, encoderPass, await ortTrainCandidate());
  const choice = await chooseFastest('train', candidates, { store: fileChoiceStore(choiceFile()), fingerprint: installFingerprint(), remeasure: opts.remeasure });
  // onnxruntime trains; tfjs (best available) still evaluates and embeds.
  await initBackend(tfjsBackendOf(choice.chosen as TrainBackendName));
  return choice;
}

/** The backend report with the measured choice: `used` is the chosen backend. */
export async function trainBackendReport(opts: { remeasure?: boolean } = {}): Promise<BackendReport> {
  const c = await chooseTrainBackend(opts);
  const report = await initBackend(tfjsBackendOf(c.chosen as TrainBackendName));
  return { ...report, choice: { chosen: c.chosen, why: c.why, measured: c.measured, at: c.at, fromCache: c.fromCache } };
}
