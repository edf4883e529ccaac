import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { initBackend, probeBackends } from '../../../../src/main/ml/backend/tfjs.js';

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
};

test('probeBackends lists all four in preference order with reasons', async () => {
  const st = await probeBackends();
  assert.deepEqual(st.map((s) => s.name), ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
  assert.deepEqual(st.map((s) => s.kind), ['GPU', 'CPU', 'WASM', 'CPU']);
  for (const s of st) if (!s.available) assert.ok(s.reason && s.reason.length > 0, `${s.name} needs a reason`);
  if (!installed('@tensorflow/tfjs-node')) assert.equal(st[1].reason, 'not installed');
  assert.equal(st[2].available, true, 'wasm is installed in this repo');
  assert.equal(st[3].available, true);
});

test('initBackend picks the best available and a forced unavailable one fails with the reason', async () => {
  const r = await initBackend();
  const first = r.statuses.find((s) => s.available)!;
  assert.equal(r.used, first.name);
  assert.equal((await initBackend()).used, r.used, 'idempotent');
  if (!installed('@tensorflow/tfjs-node')) {
    await assert.rejects(initBackend('tensorflow'), /"tensorflow" is not available: not installed/);
  }
  assert.equal((await initBackend('cpu')).used, 'cpu');
  assert.equal((await initBackend('wasm')).used, 'wasm');
});
