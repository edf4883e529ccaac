// The line that says where a batch of suggestions came from (CLI and app share it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noSuggestionsText, suggestionSource } from '../../src/shared/suggest-text.js';

test('suggestionSource names the run and counts the reasons, most frequent first', () => {
  assert.equal(suggestionSource(3, ['coverage', 'explore', 'explore', 'hard-negative', 'explore', 'coverage']), 'from run 3: 3 explore, 2 coverage, 1 hard-negative');
  assert.equal(suggestionSource(null, ['coverage', 'uncertain', 'coverage']), 'from raw image features (no model yet): 2 coverage, 1 uncertain');
  assert.equal(suggestionSource(2, []), 'from run 2');
});

test('noSuggestionsText: too few images outside test triplets is said as such, else every pairing is answered', () => {
  assert.match(noSuggestionsText(1), /^Only 1 image is outside test triplets, and a suggestion needs 3: .* Import more images\.$/);
  assert.match(noSuggestionsText(2, 'Import more with `import-images DIR FOLDER`'), /^Only 2 images are outside .* Import more with `import-images DIR FOLDER`\.$/);
  assert.equal(
    noSuggestionsText(40),
    'Every pairing worth asking about among the 40 images outside test triplets is labelled or rejected. Import more images, or train again and ask for more.',
  );
});
