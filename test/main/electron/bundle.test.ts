// The Electron bundles are built by esbuild (scripts/build-electron.mjs), and Electron itself is
// not installed here, so this runs the same bundling on the browser-mode server entry and drives
// the bundled service under Node: CJS main-side code with import.meta rewritten, and the ESM worker
// bundles (feature extraction, training) started by URL next to it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildElectron, findEngineModules, findWorkers } from '../../../scripts/build-electron.mjs';
import { forkTransport } from '../../../src/main/service/fork.js';
import { ServiceClient } from '../../../src/main/service/client.js';
import { flowersDir, repoRoot, sharedModelsDir, skipWithoutShared } from '../../helpers/shared.js';

test('build-electron bundles main, preload, every worker and engine module', { skip: skipWithoutShared() }, async () => {
  // Output must sit inside the repo so the external npm packages resolve from node_modules.
  const out = join(repoRoot, 'dist', `bundle-test-${process.pid}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ts-bundle-'));
  try {
    const built = await buildElectron({ out, log: () => {}, extraEntries: { server: join(repoRoot, 'src', 'main', 'server', 'index.ts') } });
    for (const f of ['main.cjs', 'service.cjs', 'preload.cjs', 'server.cjs']) assert.ok(existsSync(join(out, f)), f);
    assert.deepEqual(built.workers.sort(), Object.keys(findWorkers()).sort());
    assert.ok(built.workers.includes('features-worker') && built.workers.includes('train-worker'), built.workers.join());
    for (const w of built.workers) assert.ok(existsSync(join(out, `${w}.js`)), w);
    assert.ok(Object.keys(findEngineModules()).includes('features/onnx-engine'), 'the onnx engine is bundled for the feature worker');
    for (const e of Object.keys(findEngineModules())) assert.ok(existsSync(join(out, `${e}.js`)), e);

    // A small two-class image folder from the shared flowers set.
    const images = join(tmp, 'images');
    for (const cls of ['daisy', 'roses']) {
      mkdirSync(join(images, cls), { recursive: true });
      for (const f of readdirSync(join(flowersDir(), 'images', cls)).sort().slice(0, 5)) cpSync(join(flowersDir(), 'images', cls, f), join(images, cls, f));
    }
    mkdirSync(join(tmp, 'renderer'));
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'test', 'main', 'electron', 'fixtures', 'run-bundle.cjs'), join(out, 'server.cjs'), join(tmp, 'data'), join(tmp, 'project'), images, join(tmp, 'renderer')],
      { encoding: 'utf8', timeout: 240_000, env: { ...process.env, TRIPLET_STUDIO_BACKBONES: sharedModelsDir() } },
    );
    assert.equal(r.status, 0, `bundled service failed:\n${r.stderr}`);
    if (process.env.DEBUG_BUNDLE_TEST) console.log(r.stdout);
    const result = JSON.parse(r.stdout) as {
      imported: { added: number };
      info: { images: number; triplets: { train: number; test: number } };
      runs: Array<{ status: string; testAccuracy: number | null; epochs: unknown[] }>;
      thumb: { status: number; type: string };
    };
    assert.equal(result.imported.added, 10);
    assert.equal(result.info.images, 10);
    assert.ok(result.info.triplets.train > 0 && result.info.triplets.test > 0);
    assert.equal(result.runs.length, 1);
    assert.equal(result.runs[0].status, 'finished');
    assert.equal(typeof result.runs[0].testAccuracy, 'number');
    assert.equal(result.thumb.status, 200);
    assert.match(result.thumb.type, /^image\//);

    // The bundled service process (what Electron starts with utilityProcess.fork), here forked by Node.
    const events: Array<{ name: string; payload: any }> = [];
    const env = { ...process.env, TRIPLET_STUDIO_SERVICE_DATA: join(tmp, 'service-data') };
    const client = new ServiceClient(forkTransport({ entry: join(out, 'service.cjs'), env }), { emit: (name, payload) => events.push({ name, payload }) });
    try {
      const api = client.api;
      await api.createProject({ dir: join(tmp, 'service-project') });
      const { jobId } = await api.importImages({ folder: images });
      for (let i = 0; i < 1200 && !events.some((e) => e.name === 'job:done' && e.payload.jobId === jobId); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(events.some((e) => e.name === 'job:done' && e.payload.jobId === jobId), JSON.stringify(events.slice(-3)));
      assert.equal((await api.projectInfo({}))?.images, 10);
      assert.match(String(await api.mediaPath('thumb', 1)), /service-project/);
    } finally {
      await client.dispose();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});
