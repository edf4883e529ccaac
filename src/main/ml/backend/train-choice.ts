// The training backend chosen by measurement (choose.ts) among the tfjs backends that load here:
// each does one forward and backward pass of the encoder (768 → 512 → 10, 192 rows, the customGrad
// dense layers training uses) and the fastest is remembered per machine. The plain-JS cpu backend is
// only a fallback (≈30× slower than wasm: bench/ml.ts) and is not measured when another one runs.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { BackendName, BackendReport } from '../../../shared/types.js';
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

export const choiceFile = (): string => join(appDataDir(), 'compute-choice.json');

/** The training backend to use by default: remembered, else measured now. Leaves that backend active. */
export async function chooseTrainBackend(opts: { remeasure?: boolean } = {}): Promise<Choice> {
  const statuses = await probeBackends();
  const others = statuses.some((s) => s.available && s.name !== 'cpu');
  const candidates: Candidate[] = statuses.map((s) => ({
    name: s.name,
    unavailable: !s.available ? s.reason ?? 'unavailable' : s.name === 'cpu' && others ? 'plain-JS fallback, not measured' : undefined,
    run: () => encoderPass(s.name),
  }));
  const choice = await chooseFastest('train', candidates, { store: fileChoiceStore(choiceFile()), fingerprint: installFingerprint(), remeasure: opts.remeasure });
  await initBackend(choice.chosen as BackendName);
  return choice;
}

/** The backend report with the measured choice: `used` is the chosen backend. */
export async function trainBackendReport(opts: { remeasure?: boolean } = {}): Promise<BackendReport> {
  const c = await chooseTrainBackend(opts);
  const report = await initBackend(c.chosen as BackendName);
  return { ...report, choice: { chosen: c.chosen, why: c.why, measured: c.measured, at: c.at, fromCache: c.fromCache } };
}
