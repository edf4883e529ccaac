// Typed arrays as base64 (the map's compact reply): exact round trips across the chunk boundary,
// NaN kept (it marks "no error rate").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToFloat32, base64ToInt32, typedToBase64 } from '../../src/shared/b64.js';

test('Float32Array and Int32Array survive base64 exactly, NaN and chunk boundaries included', () => {
  const f = Float32Array.from({ length: 100_003 }, (_, i) => (i % 97 === 0 ? NaN : Math.sin(i) * 1e3));
  const back = base64ToFloat32(typedToBase64(f));
  assert.equal(back.length, f.length);
  for (let i = 0; i < f.length; i++) assert.ok(Object.is(back[i], f[i]) || (Number.isNaN(back[i]) && Number.isNaN(f[i])));
  const ids = Int32Array.from({ length: 70_001 }, (_, i) => i * 7919 - 5);
  assert.deepEqual(base64ToInt32(typedToBase64(ids)), ids);
  // A view into a larger buffer encodes only its own bytes.
  assert.deepEqual(base64ToInt32(typedToBase64(ids.subarray(10, 20))), ids.slice(10, 20));
  assert.equal(typedToBase64(new Float32Array(0)), '');
});
