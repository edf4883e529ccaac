// The words for where a batch of suggestions came from, shared by the CLI's `suggest` and the app's
// Suggest view. With a run, part of a batch (on some projects all of it) is drawn by exploring rather
// than ranked, so the line names the run and counts the reasons instead of saying "ranked by".
import type { SuggestionReason } from './types.js';

export function suggestionSource(runId: number | null, reasons: readonly SuggestionReason[]): string {
  const basis = runId === null ? 'raw image features (no model yet)' : `run ${runId}`;
  const counts = new Map<SuggestionReason, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  // Most frequent first, so the line leads with what the batch mostly is.
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`);
  return parts.length ? `from ${basis}: ${parts.join(', ')}` : `from ${basis}`;
}

/** Why a batch came back empty although images outside test triplets have features (`pool` of them);
 * `importStep` names how to import in the caller's words.
 * A triplet needs three images, and test-triplet images are never suggested; a small project whose
 * images are nearly all in test triplets meets the first case, not the second. */
export function noSuggestionsText(pool: number, importStep = 'Import more images'): string {
  if (pool < 3) {
    const only = pool === 1 ? 'Only 1 image is' : `Only ${pool} images are`;
    return `${only} outside test triplets, and a suggestion needs 3: images of test triplets are never suggested, so the test stays a fair check. ${importStep}.`;
  }
  return `Every pairing worth asking about among the ${pool} images outside test triplets is labelled or rejected. ${importStep}, or train again and ask for more.`;
}
