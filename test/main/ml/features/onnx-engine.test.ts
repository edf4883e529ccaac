// The ONNX engine on the shared MobileNet: generated graph (BN folded, NHWC→NCHW, depthwise as
// grouped Conv) gives the tfjs model's features within 1e-3 on real photos; the cached model.onnx is
// rebuilt when model.json changes; extractFeatures picks it automatically and says so.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initBackend } from '../../../../src/main/ml/backend/tfjs.js';
import { BACKBONES, createTfLayersEngine } from '../../../../src/main/ml/backbone/registry.js';
import { extractFeatures } from '../../../../src/main/ml/features/extract.js';
import { preprocessImage } from '../../../../src/main/ml/features/preprocess.js';
import { createOnnxEngine, ensureOnnxModel } from '../../../../src/main/ml/features/onnx-engine.js';
import { skipWithoutOrt } from '../../../helpers/ort.js';
import { flowersDir, sharedModelsDir, skipWithoutShared } from '../../../helpers/shared.js';

const ID = 'mobilenet_v1_0.75_224';


function photos(n: number): string[] {
  const root = join(flowersDir(), 'images');
  const out: string[] = [];
  for (const cls of readdirSync(root).sort()) {
    for (const f of readdirSync(join(root, cls)).sort().slice(0, 1)) out.push(join(root, cls, f));
  }
  return out.slice(0, n);
}

describe('onnx engine', { skip: skipWithoutShared() || (await skipWithoutOrt()) }, () => {
  let root: string;
  let dir: string;
  const saved = process.env.TRIPLET_STUDIO_BACKBONES;
  before(async () => {
    await initBackend('wasm');
    root = mkdtempSync(join(tmpdir(), 'ts-onnx-'));
    dir = join(root, ID);
    mkdirSync(dir);
    // Shards by symlink (read-only shared data stays untouched), model.json copied so it can change.
    const src = join(sharedModelsDir(), ID);
    for (const f of readdirSync(src)) {
      if (f === 'model.json') copyFileSync(join(src, f), join(dir, f));
      else symlinkSync(join(src, f), join(dir, f));
    }
    process.env.TRIPLET_STUDIO_BACKBONES = root;
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
    else process.env.TRIPLET_STUDIO_BACKBONES = saved;
  });

  test('MobileNet features from ONNX equal the tfjs model within 1e-3 on two photos', async () => {
    const spec = BACKBONES[ID];
    const [a, b] = await Promise.all(photos(2).map((p) => preprocessImage(p, spec)));
    const batch = new Float32Array(a.length * 2);
    batch.set(a, 0);
    batch.set(b, a.length);
    const tfjs = await createTfLayersEngine({ spec, dir, backend: 'wasm' });
    const onnx = await createOnnxEngine(spec, dir, 2);
    const want = await tfjs.run(batch, 2);
    const got = await onnx.run(batch, 2);
    tfjs.dispose?.();
    onnx.dispose?.();
    // A second session loads the saved optimised graph instead of optimising again: same numbers.
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('model.onnx.opt-') && !f.endsWith('.tmp')).length, 1);
    const again = await createOnnxEngine(spec, dir, 1);
    const got2 = await again.run(batch, 2);
    again.dispose?.();
    let d2 = 0;
    for (let i = 0; i < got.length; i++) d2 = Math.max(d2, Math.abs(got[i] - got2[i]));
    assert.ok(d2 <= 1e-5, `optimised-graph session differs by ${d2}`);
    assert.equal(got.length, 2 * 768);
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - want[i]));
    console.log(`# mobilenet: ONNX vs tfjs max abs diff ${diff.toExponential(2)} (feature max ${Math.max(...want).toFixed(2)})`);
    assert.ok(diff <= 1e-3, `max abs diff ${diff}`);
    assert.ok(Math.max(...want) > 0.1);
  });

  test('model.onnx is cached and rebuilt when model.json changes', async () => {
    const first = await ensureOnnxModel(dir, 'conv_pw_13_relu');
    assert.equal(first, join(dir, 'model.onnx'));
    const t1 = statSync(first).mtimeMs;
    const stamp = (): string => JSON.parse(readFileSync(join(dir, 'model.onnx.json'), 'utf8')).fingerprint;
    const fp1 = stamp();
    assert.equal(await ensureOnnxModel(dir, 'conv_pw_13_relu'), first);
    assert.equal(statSync(first).mtimeMs, t1, 'an unchanged folder must reuse the cache');
    // Same weights, different topology text (a new converter's output, say): regenerate.
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, generatedBy: 'changed' }));
    await ensureOnnxModel(dir, 'conv_pw_13_relu');
    assert.notEqual(stamp(), fp1);
    assert.ok(statSync(first).mtimeMs > t1, 'model.onnx was not rebuilt');
  });

  test('extractFeatures uses onnxruntime automatically and reports it', async () => {
    const images = photos(3).map((path, i) => ({ id: i + 1, path }));
    const rows = new Map<number, Float32Array>();
    const r = await extractFeatures({ backbone: ID, images, onBatch: (b) => b.forEach((x) => rows.set(x.id, x.features)) });
    assert.match(r.engine, /^onnxruntime/);
    assert.equal(rows.size, 3);
    // Same numbers as the engine run directly in this thread.
    const spec = BACKBONES[ID];
    const direct = await createOnnxEngine(spec, dir, 1);
    const x = await preprocessImage(images[2].path, spec);
    const f = await direct.run(x, 1);
    direct.dispose?.();
    let diff = 0;
    for (let i = 0; i < f.length; i++) diff = Math.max(diff, Math.abs(f[i] - rows.get(3)![i]));
    assert.ok(diff <= 1e-4, `worker vs direct: ${diff}`);
  });
});
