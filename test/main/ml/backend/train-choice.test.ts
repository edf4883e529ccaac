// The training candidates: the tfjs backends plus onnxruntime-node's step graph, chosen by
// measurement (simulated providers on a fake clock; the real measurement is `backends --measure`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackendName, BackendStatus } from '../../../../src/shared/types.js';
import { type Candidate, type Choice, type ChoiceStore, chooseFastest } from '../../../../src/main/ml/backend/choose.js';
import { trainCandidates } from '../../../../src/main/ml/backend/train-choice.js';
import { tfjsBackendOf } from '../../../../src/main/ml/encoder/engine.js';
import { ortTrainCandidate } from '../../../../src/main/ml/encoder/ort/candidate.js';

const statuses: BackendStatus[] = [
  { name: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu', available: false, reason: 'not installed', kind: 'GPU' },
  { name: 'tensorflow', pkg: '@tensorflow/tfjs-node', available: false, reason: 'not installed', kind: 'CPU' },
  { name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', available: true, kind: 'WASM' },
  { name: 'cpu', pkg: '@tensorflow/tfjs-core', available: true, kind: 'CPU' },
];

/** Candidates costing `ms` on a shared fake clock; `ort` undefined = onnxruntime-node missing. */
function simulated(costs: Partial<Record<BackendName, number>>, ort: number | undefined) {
  let t = 0;
  const runs: string[] = [];
  const tfjsRun = async (name: BackendName) => {
    runs.push(name);
    t += costs[name] ?? 1000;
  };
  const ortCandidate: Candidate = {
    name: 'onnxruntime',
    unavailable: ort === undefined ? 'onnxruntime-node is not installed' : undefined,
    run: async () => {
      runs.push('onnxruntime');
      t += ort!;
    },
  };
  return { candidates: trainCandidates(statuses, tfjsRun, ortCandidate), runs, now: () => t };
}

const store = (): ChoiceStore => {
  const data: Record<string, Choice> = {};
  return { read: (task) => data[task], write: (c) => void (data[c.task] = c) };
};

test('onnxruntime is measured next to wasm and chosen when faster; tfjs still evaluates', async () => {
  const sim = simulated({ wasm: 30 }, 8);
  const c = await chooseFastest('train', sim.candidates, { store: store(), fingerprint: 'f', now: sim.now });
  assert.equal(c.chosen, 'onnxruntime');
  assert.match(c.why, /8\.0 ms vs wasm 30\.0 ms/);
  assert.deepEqual(c.measured.find((m) => m.name === 'cpu'), { name: 'cpu', error: 'plain-JS fallback, not measured' });
  assert.equal(tfjsBackendOf('onnxruntime'), undefined, 'evaluation on the best tfjs backend');
  assert.equal(tfjsBackendOf('wasm'), 'wasm');
});

test('wasm is kept when onnxruntime is slower, or missing (with the reason)', async () => {
  const slower = simulated({ wasm: 30 }, 45);
  assert.equal((await chooseFastest('train', slower.candidates, { store: store(), fingerprint: 'f', now: slower.now })).chosen, 'wasm');
  const missing = simulated({ wasm: 30 }, undefined);
  const c = await chooseFastest('train', missing.candidates, { store: store(), fingerprint: 'f', now: missing.now, remeasure: true });
  assert.equal(c.chosen, 'wasm');
  assert.deepEqual(c.measured.find((m) => m.name === 'onnxruntime'), { name: 'onnxruntime', error: 'onnxruntime-node is not installed' });
  assert.ok(!missing.runs.includes('onnxruntime'));
});

test('the real onnxruntime candidate says why when onnxruntime-node cannot load', async () => {
  const c = await ortTrainCandidate(() => Promise.reject(new Error('onnxruntime-node is not installed')));
  assert.equal(c.name, 'onnxruntime');
  assert.equal(c.unavailable, 'onnxruntime-node is not installed');
});

test('the real onnxruntime candidate runs its training step', async (t) => {
  const c = await ortTrainCandidate();
  if (c.unavailable) return t.skip(c.unavailable);
  await c.run(); // builds the session
  const t0 = performance.now();
  await c.run();
  assert.ok(performance.now() - t0 < 5000);
});
