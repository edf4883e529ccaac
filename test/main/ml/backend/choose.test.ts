// The provider choice by measurement, with simulated providers on a fake clock.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Choice, chooseFastest, fileChoiceStore, measureCandidates, pickFastest } from '../../../../src/main/ml/backend/choose.js';
import { memoryStore, simulated } from '../../../helpers/simulated-choice.js';
import { fillDisk, mountTmpfs, unmount } from '../../../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-choose-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('measures each runnable provider (warm-up + 3 timed runs) and picks the fastest, saying why', async () => {
  const sim = simulated({ 'tensorflow-gpu': 4, tensorflow: 20, wasm: 30, cpu: 'not installed' });
  const measured = await measureCandidates(sim.candidates, 3, sim.now);
  assert.deepEqual(measured, [{ name: 'tensorflow-gpu', ms: 4 }, { name: 'tensorflow', ms: 20 }, { name: 'wasm', ms: 30 }, { name: 'cpu', error: 'not installed' }]);
  assert.deepEqual(sim.runs, { 'tensorflow-gpu': 4, tensorflow: 4, wasm: 4 });
  const pick = pickFastest(measured)!;
  assert.equal(pick.chosen, 'tensorflow-gpu');
  assert.match(pick.why, /4\.0 ms vs tensorflow 20\.0 ms \(5\.0× faster\)/);
});

test('a provider that fails is reported with its error and never chosen', async () => {
  const sim = simulated({ 'tensorflow-gpu': new Error('CUDA_ERROR_NO_DEVICE\nstack'), wasm: 30 });
  const store = memoryStore();
  const c = await chooseFastest('train', sim.candidates, { store, fingerprint: 'f1', now: sim.now });
  assert.equal(c.chosen, 'wasm');
  assert.deepEqual(c.measured[0], { name: 'tensorflow-gpu', error: 'failed: CUDA_ERROR_NO_DEVICE' });
  assert.match(c.why, /only one that runs here \(tensorflow-gpu: failed: CUDA_ERROR_NO_DEVICE\)/);
});

test('the choice is remembered per fingerprint: reused, re-measured when what is installed changes', async () => {
  const store = memoryStore();
  const first = simulated({ tensorflow: 10, wasm: 30 });
  const a = await chooseFastest('train', first.candidates, { store, fingerprint: 'f1', now: first.now });
  assert.equal(a.chosen, 'tensorflow');
  assert.equal(store.writes, 1);
  const again = simulated({ tensorflow: 10, wasm: 30 });
  const b = await chooseFastest('train', again.candidates, { store, fingerprint: 'f1', now: again.now });
  assert.equal(b.fromCache, true);
  assert.deepEqual(again.runs, {}, 'nothing measured');
  const gpuAdded = simulated({ 'tensorflow-gpu': 2, tensorflow: 10, wasm: 30 });
  const c = await chooseFastest('train', gpuAdded.candidates, { store, fingerprint: 'f2', now: gpuAdded.now });
  assert.equal(c.chosen, 'tensorflow-gpu');
  assert.equal(c.fromCache, undefined);
  assert.equal(store.writes, 2);
});

test('a remembered provider that no longer runs is measured again; a lone provider is used without measuring', async () => {
  const store = memoryStore();
  store.data.train = { task: 'train', chosen: 'tensorflow', why: '', measured: [], fingerprint: 'f1', at: '' };
  const sim = simulated({ tensorflow: 'failed to load: libtensorflow.so', wasm: 30, cpu: 300 });
  const c = await chooseFastest('train', sim.candidates, { store, fingerprint: 'f1', now: sim.now });
  assert.equal(c.chosen, 'wasm');
  const lone = simulated({ wasm: 30, cpu: 'plain-JS fallback, not measured' });
  const d = await chooseFastest('train', lone.candidates, { store: memoryStore(), fingerprint: 'f1', now: lone.now });
  assert.equal(d.chosen, 'wasm');
  assert.deepEqual(lone.runs, {});
  await assert.rejects(chooseFastest('train', simulated({ wasm: new Error('boom'), cpu: new Error('bang') }).candidates, { store: memoryStore(), fingerprint: 'f' }), /No train provider runs here \(wasm: failed: boom; cpu: failed: bang\)/);
});

test('the file store keeps one choice per task and treats a broken file as empty', () => {
  const file = join(root, 'sub', 'compute-choice.json');
  const store = fileChoiceStore(file);
  assert.equal(store.read('train'), undefined);
  const choice: Choice = { task: 'train', chosen: 'wasm', why: 'w', measured: [{ name: 'wasm', ms: 3 }], fingerprint: 'f', at: 'now' };
  store.write(choice);
  store.write({ ...choice, task: 'features', chosen: 'onnxruntime-cpu' });
  assert.deepEqual(fileChoiceStore(file).read('train'), choice);
  assert.equal(fileChoiceStore(file).read('features')?.chosen, 'onnxruntime-cpu');
  writeFileSync(file, '{not json');
  assert.equal(fileChoiceStore(file).read('train'), undefined);
});

test('a choice that cannot be remembered (the data folder on a full disk) does not stop the work, and leaves no temporary file', (t) => {
  const disk = join(root, 'full');
  mkdirSync(disk);
  const cannot = mountTmpfs(disk, '64k');
  if (cannot) return t.skip(cannot);
  try {
    fillDisk(disk);
    const store = fileChoiceStore(join(disk, 'compute-choice.json'));
    store.write({ task: 'train', chosen: 'wasm', why: 'w', measured: [{ name: 'wasm', ms: 3 }], fingerprint: 'f', at: 'now' });
    assert.equal(store.read('train'), undefined, 'not remembered: measured again next time');
    assert.deepEqual(readdirSync(disk), ['filler']);
  } finally {
    unmount(disk);
  }
});
