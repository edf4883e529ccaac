// The Electron main process is a thin shell: its bundle (built as scripts/build-electron.mjs builds
// main.cjs) must reach no SQLite, tfjs, onnxruntime or sharp, and none of the store/ML/service
// sources; those live in the service process (service.cjs). The check is the same one the build runs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryGraph, heavyInMain, reachable } from '../../../scripts/build-electron.mjs';
import { repoRoot } from '../../helpers/shared.js';

test('the Electron main entry reaches no better-sqlite3, @tensorflow/*, onnxruntime-node, sharp or store/ML code', async () => {
  const meta = await entryGraph({ main: join(repoRoot, 'src', 'main', 'electron', 'main.ts') });
  const { sources, packages } = reachable(meta, 'main.cjs');
  assert.ok(sources.includes('src/main/electron/main.ts') && sources.includes('src/main/service/client.ts'), sources.join('\n'));
  assert.ok(packages.includes('electron'), packages.join());
  assert.deepEqual(heavyInMain(meta), []);
});

test('the check sees heavy packages: the service entry reaches them (as main.cjs it would fail)', async () => {
  const meta = await entryGraph({ main: join(repoRoot, 'src', 'main', 'service', 'main.ts') });
  const heavy = heavyInMain(meta);
  for (const p of ['better-sqlite3', 'sharp']) assert.ok(heavy.includes(p), `${p} in ${heavy.join()}`);
  // tfjs itself is required at its first use (backend/tfjs.ts), so only its wasm backend's import shows;
  // the module that loads it is caught as a service-only source.
  assert.ok(heavy.includes('@tensorflow/tfjs-backend-wasm'), heavy.join());
  assert.ok(heavy.includes('src/main/ml/backend/tfjs.ts'), heavy.join());
  assert.ok(heavy.some((f) => f.startsWith('src/main/store/')), heavy.join());
});
