// The weights fingerprint is kept beside the weights, except in a folder marked read-only (shared
// weights, ../shared/models in CI): nothing is written there, the record goes to the app's cache.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FINGERPRINT_FILE, fingerprintRecordPaths, weightsFingerprint } from '../../../../src/main/ml/backbone/fingerprint.js';

const root = mkdtempSync(join(tmpdir(), 'ts-fingerprint-'));
const saved = process.env.TRIPLET_STUDIO_DATA;
process.env.TRIPLET_STUDIO_DATA = join(root, 'app-data');
after(() => {
  if (saved === undefined) delete process.env.TRIPLET_STUDIO_DATA;
  else process.env.TRIPLET_STUDIO_DATA = saved;
  rmSync(root, { recursive: true, force: true });
});

/** A backbone folder of one .onnx file (no model.json), optionally marked read-only. */
function weightsFolder(name: string, bytes: string, readOnly: boolean): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.onnx'), bytes);
  if (readOnly) chmodSync(dir, 0o555);
  return dir;
}

test('a writable folder keeps the record beside the weights', () => {
  const dir = weightsFolder('writable', 'weights A', false);
  const fp = weightsFingerprint(dir);
  assert.match(fp, /^[0-9a-f]{16}$/);
  assert.ok(readFileSync(join(dir, FINGERPRINT_FILE), 'utf8').includes(fp));
});

test('a folder marked read-only is left untouched (even as root); the record goes to the app cache and is read back', async () => {
  const dir = weightsFolder('shared', 'weights B', true);
  const fp = weightsFingerprint(dir);
  assert.deepEqual(readdirSync(dir), ['model.onnx'], 'nothing written into the read-only folder');
  const [record] = fingerprintRecordPaths(dir);
  assert.ok(record.startsWith(join(root, 'app-data', 'cache')), record);
  assert.ok(readFileSync(record, 'utf8').includes(fp));
  assert.ok(!readdirSync(join(record, '..')).some((f) => f.endsWith('.tmp')), 'no temporary file left');

  // A new process (fresh module, empty memo) takes the fingerprint from the record, not by hashing:
  // a record with matching stamps and another fingerprint is believed.
  const rec = JSON.parse(readFileSync(record, 'utf8')) as { fingerprint: string };
  writeFileSync(record, JSON.stringify({ ...rec, fingerprint: '0123456789abcdef' }));
  const fresh = (await import(`../../../../src/main/ml/backbone/fingerprint.js?fresh=${Date.now()}`)) as typeof import('../../../../src/main/ml/backbone/fingerprint.js');
  assert.equal(fresh.weightsFingerprint(dir), '0123456789abcdef');

  // Changed weights (root may still write the file) change the stamps: hashed again.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'model.onnx'), 'weights C');
  chmodSync(dir, 0o555);
  const changed = fresh.weightsFingerprint(dir);
  assert.notEqual(changed, '0123456789abcdef');
  assert.notEqual(changed, fp);
  assert.ok(!existsSync(join(dir, FINGERPRINT_FILE)));
});
