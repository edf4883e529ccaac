// Percentages never round a mistake away: one wrong in 2,000 is not "100.0%".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentText } from '../../src/shared/percent-text.js';
import { pct } from '../../src/main/cli/output.js';
import { formatPercent } from '../../src/renderer/lib/format.js';

test('a share below 1 never reads 100%, one above 0 never 0%; exact ones keep their digits', () => {
  assert.equal(percentText(0.937), '93.7%');
  assert.equal(percentText(1), '100.0%');
  assert.equal(percentText(0), '0.0%');
  assert.equal(percentText(1999 / 2000), '99.95%');
  assert.equal(percentText(9999 / 10000), '99.99%');
  assert.equal(percentText(999_999 / 1_000_000), '99.9999%');
  assert.equal(percentText(1 / 5000), '0.02%');
  assert.equal(percentText(0.5, 0), '50%');
  // The CLI and the app print it the same way.
  assert.equal(pct(1999 / 2000), '99.95%');
  assert.equal(formatPercent(1999 / 2000), '99.95%');
  assert.equal(pct(null), '-');
});
