// After `npm ci`, the two native packages the engine leans on must load: without better-sqlite3 nothing
// opens a project, and without onnxruntime-node feature extraction silently falls back to tfjs-wasm
// (about 12× slower for ResNet50). npm drops a failed optional package without a word, so check here.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const FIX =
  'Run `npm ci` again and read its output. onnxruntime-node ships its CPU binaries in the package; its install script ' +
  '(which downloads CUDA files) is denied in package.json "allowScripts", so no network is needed.';

test('better-sqlite3 loads and opens a database', () => {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(':memory:');
  assert.equal(db.prepare('SELECT 1 + 1 AS two').pluck().get(), 2, FIX);
  db.close();
});

test('onnxruntime-node is installed and its CPU binding loads', () => {
  let ort: { InferenceSession?: unknown; Tensor?: unknown };
  try {
    ort = require('onnxruntime-node') as typeof ort;
  } catch (err) {
    assert.fail(`onnxruntime-node is missing: ${(err as Error).message.split('\n')[0]}. ${FIX}`);
  }
  assert.equal(typeof ort.InferenceSession, 'function', FIX);
  assert.equal(typeof ort.Tensor, 'function', FIX);
});
