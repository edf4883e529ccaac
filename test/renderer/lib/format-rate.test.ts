// The job bar's speed (issue 12.4: embed shows images/s beside the ETA in the app, as the CLI bar does).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJobRate } from '../../../src/renderer/lib/format.js';

test('a job speed is given in its own units, and not at all while unknown', () => {
  assert.equal(formatJobRate({ kind: 'embed', phase: 'features', rate: 32.44 }), '32.4 images/s');
  assert.equal(formatJobRate({ kind: 'train', phase: 'features', rate: 1234.4 }), '1,234 images/s');
  assert.equal(formatJobRate({ kind: 'download', phase: 'download', rate: 3 * 1048576 }), '3.0 MB/s');
  assert.equal(formatJobRate({ kind: 'import-images', phase: 'importing', rate: 0.5 }), '0.50/s');
  assert.equal(formatJobRate({ kind: 'embed', phase: 'features' }), '');
  assert.equal(formatJobRate({ kind: 'embed', phase: 'features', rate: Number.NaN }), '');
});
