// The line that says where a batch of suggestions came from (CLI and app share it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestionSource } from '../../src/shared/suggest-text.js';

test('suggestionSource names the run and counts the reasons, most frequent first', () => {
  assert.equal(suggestionSource(3, ['coverage', 'explore', 'explore', 'hard-negative', 'explore', 'coverage']), 'from run 3: 3 explore, 2 coverage, 1 hard-negative');
  assert.equal(suggestionSource(null, ['coverage', 'uncertain', 'coverage']), 'from raw image features (no model yet): 2 coverage, 1 uncertain');
  assert.equal(suggestionSource(2, []), 'from run 2');
});
