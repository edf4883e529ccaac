// The feature engine chosen by measurement (issue 12.2): simulated providers for the choice, the
// remembered choice and its fingerprint, and the run-time fallback record; then the real engines on
// shared photos: the CUDA candidate's reason here, a chosen engine that fails at run time (the CUDA
// provider, absent here) continuing on the next one with every image delivered once, and the
// measured choice remembered in compute-choice.json.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Choice } from '../../../../src/main/ml/backend/choose.js';
import { chooseFeatureEngine, engineCandidates, engineTask, fallbackOrder, recordRunFailure } from '../../../../src/main/ml/features/engine-choice.js';
import { extractFeatures } from '../../../../src/main/ml/features/extract.js';
import { hasCudaProvider } from '../../../../src/main/ml/features/onnx-engine.js';
import { skipWithoutOrt } from '../../../helpers/ort.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../../helpers/shared.js';
import { memoryStore, simulated } from '../../../helpers/simulated-choice.js';

const ID = 'mobilenet_v1_0.75_224';
const root = mkdtempSync(join(tmpdir(), 'ts-engine-choice-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('picks the fastest engine per backbone, remembers it, and measures again when the fingerprint changes', async () => {
  const store = memoryStore();
  const sim = simulated({ 'onnxruntime-cuda': 3, 'onnxruntime-cpu': 160, 'tfjs-wasm': 980, 'tfjs-tensorflow': 'not installed' });
  const a = await chooseFeatureEngine(ID, { candidates: sim.candidates, store, fingerprint: 'f1', now: sim.now });
  assert.equal(a.chosen, 'onnxruntime-cuda');
  assert.equal(a.task, engineTask(ID));
  assert.deepEqual(sim.runs, { 'onnxruntime-cuda': 4, 'onnxruntime-cpu': 4, 'tfjs-wasm': 4 });
  assert.equal(store.data[engineTask(ID)].chosen, 'onnxruntime-cuda');

  const again = simulated({ 'onnxruntime-cuda': 3, 'onnxruntime-cpu': 160, 'tfjs-wasm': 980 });
  const b = await chooseFeatureEngine(ID, { candidates: again.candidates, store, fingerprint: 'f1', now: again.now });
  assert.equal(b.fromCache, true);
  assert.deepEqual(again.runs, {}, 'a remembered choice runs nothing');

  // `npm run gpu` changed what is installed: everything is timed again.
  const changed = simulated({ 'onnxruntime-cuda': 500, 'onnxruntime-cpu': 160, 'tfjs-wasm': 980 });
  const c = await chooseFeatureEngine(ID, { candidates: changed.candidates, store, fingerprint: 'f2', now: changed.now });
  assert.equal(c.chosen, 'onnxruntime-cpu');
  assert.equal(changed.runs['onnxruntime-cuda'], 4);
});

test('an engine failing while measured is never chosen; at run time the next fastest takes over and the store says why', async () => {
  const store = memoryStore();
  const sim = simulated({ 'onnxruntime-cuda': new Error('CUDA failure 100: no CUDA-capable device is detected'), 'tfjs-wasm': 980, 'onnxruntime-cpu': 160 });
  const c = await chooseFeatureEngine(ID, { candidates: sim.candidates, store, fingerprint: 'f1', now: sim.now });
  assert.equal(c.chosen, 'onnxruntime-cpu');
  assert.deepEqual(fallbackOrder(c), ['onnxruntime-cpu', 'tfjs-wasm']);

  const updated = recordRunFailure(c, 'onnxruntime-cpu', 'tfjs-wasm', 'session lost\nstack', store);
  assert.equal(updated.chosen, 'tfjs-wasm');
  assert.match(updated.why, /onnxruntime-cpu failed at run time \(session lost\); using tfjs-wasm/);
  assert.deepEqual(fallbackOrder(updated), ['tfjs-wasm'], 'the broken engine is not tried again');
  // The next embed reads the updated choice without timing anything.
  const next = simulated({ 'onnxruntime-cuda': 3, 'tfjs-wasm': 980, 'onnxruntime-cpu': 160 });
  const d = await chooseFeatureEngine(ID, { candidates: next.candidates, store, fingerprint: 'f1', now: next.now });
  assert.deepEqual([d.chosen, d.fromCache, next.runs], ['tfjs-wasm', true, {}]);
});

function photos(n: number): { id: number; path: string }[] {
  const dir = join(flowersDir(), 'images');
  const all = readdirSync(dir).flatMap((cls) => readdirSync(join(dir, cls)).sort().map((f) => join(dir, cls, f)));
  return all.slice(0, n).map((path, i) => ({ id: i + 1, path }));
}

describe('real engines', { skip: skipWithoutBackbone(ID) || (await skipWithoutOrt()) }, () => {
  const saved = { ...process.env };
  const use = () => {
    process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
    process.env.TRIPLET_STUDIO_DATA = join(root, 'data');
    delete process.env.TRIPLET_STUDIO_COMPUTE_CHOICE; // measured here, into the data folder (not the run's shared choice)
  };
  after(() => {
    for (const k of ['TRIPLET_STUDIO_BACKBONES', 'TRIPLET_STUDIO_DATA', 'TRIPLET_STUDIO_COMPUTE_CHOICE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('the candidates say why they cannot run here', async () => {
    use();
    const c = await engineCandidates(ID);
    const cuda = c.find((x) => x.name === 'onnxruntime-cuda')!;
    if (!hasCudaProvider()) assert.match(cuda.unavailable ?? '', /only its CPU provider .*npm run gpu/);
    assert.equal(c.find((x) => x.name === 'onnxruntime-cpu')!.unavailable, undefined);
    assert.equal(c.find((x) => x.name === 'tfjs-wasm')!.unavailable, undefined);
    // TRIPLET_STUDIO_ENGINE=tfjs is named as the reason (it said "no model.json … in the backbone folder").
    const before = process.env.TRIPLET_STUDIO_ENGINE;
    process.env.TRIPLET_STUDIO_ENGINE = 'tfjs';
    try {
      const forced = await engineCandidates(ID);
      assert.deepEqual(
        forced.filter((x) => x.name.startsWith('onnxruntime')).map((x) => x.unavailable),
        ['TRIPLET_STUDIO_ENGINE=tfjs', 'TRIPLET_STUDIO_ENGINE=tfjs'],
      );
      assert.equal(forced.find((x) => x.name === 'tfjs-wasm')!.unavailable, undefined);
    } finally {
      if (before === undefined) delete process.env.TRIPLET_STUDIO_ENGINE;
      else process.env.TRIPLET_STUDIO_ENGINE = before;
    }
  });

  test('a chosen engine that fails at run time is followed by the next, each image delivered once, in order', { skip: hasCudaProvider() && 'the CUDA provider is installed here' }, async () => {
    use();
    const images = photos(20);
    const seen: number[] = [];
    const res = await extractFeatures({ backbone: ID, images, batchSize: 8, engine: ['onnxruntime-cuda', 'onnxruntime-cpu'], onBatch: (rows) => void seen.push(...rows.map((r) => r.id)) });
    assert.deepEqual(seen, images.map((i) => i.id));
    assert.equal(res.extracted, 20);
    assert.match(res.engine, /^onnxruntime\/cpu/);
    assert.equal(res.fallbacks?.length, 1);
    assert.match(res.fallbacks![0], /^onnxruntime-cuda failed \(.*CUDA.*\); continued on onnxruntime-cpu/);
  });

  test('undecodable images among the first ones are reported per image; the engines are still timed', { timeout: 120_000 }, async () => {
    use();
    process.env.TRIPLET_STUDIO_DATA = join(root, 'data-broken');
    const broken = join(root, 'broken.jpg');
    writeFileSync(broken, 'not a jpeg');
    const images = [{ id: 100, path: broken }, { id: 101, path: join(root, 'missing.jpg') }, ...photos(2)];
    const seen: number[] = [];
    const failed: number[] = [];
    const res = await extractFeatures({ backbone: ID, images, onBatch: (rows) => void seen.push(...rows.map((r) => r.id)), onImageError: (id) => void failed.push(id) });
    assert.deepEqual([seen, failed.sort()], [[1, 2], [100, 101]]);
    assert.match(res.choice ?? '', /^(onnxruntime|tfjs)-/);
  });

  test('a cancel during the first-use measurement returns at once', { timeout: 120_000 }, async () => {
    use();
    process.env.TRIPLET_STUDIO_DATA = join(root, 'data-cancel');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = performance.now();
    await assert.rejects(extractFeatures({ backbone: ID, images: photos(4), signal: ac.signal, onBatch: () => {} }), (err: Error) => err.name === 'AbortError');
    assert.ok(performance.now() - t0 < 3000, `returned after ${(performance.now() - t0).toFixed(0)} ms`);
  });

  test('without an engine asked for, the measured choice runs and is remembered for this machine', { timeout: 120_000 }, async () => {
    use();
    const res = await extractFeatures({ backbone: ID, images: photos(4), onBatch: () => {} });
    const stored = JSON.parse(readFileSync(join(root, 'data', 'compute-choice.json'), 'utf8')) as Record<string, Choice>;
    const choice = stored[engineTask(ID)];
    assert.ok(choice.measured.some((m) => m.name === 'tfjs-wasm' && m.ms! > 0), 'tfjs-wasm was timed');
    assert.ok(choice.measured.some((m) => m.name === 'onnxruntime-cpu' && m.ms! > 0), 'onnxruntime-cpu was timed');
    assert.equal(res.choice, `${choice.chosen}: ${choice.why}`);
    assert.equal(res.engine.startsWith('onnxruntime') ? 'onnxruntime' : 'tfjs', choice.chosen.startsWith('onnxruntime') ? 'onnxruntime' : 'tfjs');
  });
});
