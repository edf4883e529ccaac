// An ORT member thread must not load tfjs. onnxruntime-node hands back every output of a step as a
// fresh copy, so a member thread collects garbage all the time; with tfjs in its heap each collection
// marked ~45 MB more, which on the 1,000,000-triplet run cost 6–12 CPU s per epoch and slowed late
// epochs (member-worker.ts). The modules the member thread imports are loaded here in a fresh thread.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { startWorker } from '../../../../../src/main/util/worker.js';

const ORT_DIR = new URL('../../../../../src/main/ml/encoder/ort/', import.meta.url);
const PROBE = new URL('./fixtures/import-probe.js', import.meta.url);

/** The runtime (non-type) relative imports of member-worker.ts, as URLs of their sources. */
function memberWorkerImports(): string[] {
  const src = readFileSync(new URL('member-worker.ts', ORT_DIR), 'utf8');
  const specs = [...src.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gm)].map((m) => m[1]);
  return specs.map((s) => new URL(s.replace(/\.js$/, '.ts'), ORT_DIR).href);
}

function tfjsLoadedBy(urls: string[]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const w = startWorker(PROBE, urls);
    w.once('message', (m: { tfjs: boolean }) => void w.terminate().then(() => resolve(m.tfjs)));
    w.once('error', reject);
  });
}

test('the ORT member thread imports no tfjs', async () => {
  const urls = memberWorkerImports();
  assert.ok(urls.some((u) => u.endsWith('/trainer.ts')), `member-worker.ts imports: ${urls.join(', ')}`);
  assert.equal(await tfjsLoadedBy(urls), false);
});

test('the probe sees tfjs when a module loads it (the package itself)', async () => {
  assert.equal(await tfjsLoadedBy([pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).href]), true);
});

test('importing the engine loads no tfjs until a tensor is needed (backend/tfjs.ts, model.ts, ml/index.ts)', async () => {
  // tfjs takes ~0.7 s to import: every start of the app, the CLI and a test process paid it (bench startup).
  const ml = new URL('../../', ORT_DIR);
  for (const m of ['backend/tfjs.ts', 'encoder/model.ts', 'index.ts']) assert.equal(await tfjsLoadedBy([new URL(m, ml).href]), false, m);
});
