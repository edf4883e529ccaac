// The one-line "what this run could not use" text, shared by the CLI and the renderer.
import type { LeftOut } from './types.js';

/** One line for summaries, or null when nothing was left out. */
export function describeLeftOut(l: LeftOut | null | undefined): string | null {
  if (!l || (l.trainCount === 0 && l.testCount === 0 && l.imageCount === 0)) return null;
  const why = new Map<string, number>();
  for (const i of l.images) why.set(i.reason, (why.get(i.reason) ?? 0) + 1);
  const reasons = [...why].map(([r, n]) => `${n} ${r}`).join(', ');
  return `Left out: ${l.trainCount} train and ${l.testCount} test triplets could not be used (${l.imageCount} image${l.imageCount === 1 ? '' : 's'} without features: ${reasons}).`;
}

/**
 * Why a finished run has no test accuracy, after "Run N finished: ". `leftOutTests`: the run's
 * test triplets it left out (an image without features); `howToAdd`: where this surface adds test triplets.
 */
export function whyNoTestScore(leftOutTests: number, howToAdd: string): string {
  return leftOutTests > 0
    ? `none of its ${leftOutTests} test triplet${leftOutTests === 1 ? '' : 's'} could be scored (an image of each has no features: see what was left out)`
    : `no test triplets to score it (${howToAdd})`;
}

/** What to do about images whose files are missing: a moved folder imported again from where it is now joins its files to their images by content. */
export const MOVED_FOLDER_HINT = 'Moved the folder? Import it again from where it is now: each file joins its image by content, labels and all.';

/** A project open read-only: what that means, for the sidebar's badge and the toast on opening. */
export const READ_ONLY_PROJECT =
  'project.sqlite cannot be written here (a read-only drive or folder), so this project is open for viewing and export only. To change it, copy the folder somewhere you can write and open the copy.';

/** A project open read-only because its drive answered writes with I/O errors (store/check.ts storeWriteError). */
export const READ_ONLY_DRIVE_ERROR =
  'The drive holding this project reported an error when it was written (input/output error: failing, disconnected, or full underneath), so the project is open for viewing and export only and nothing more is written there. To change it, copy the folder to another drive and open the copy.';

/** Why features are missing in a project open read-only: they cannot be computed and saved there. */
export const READ_ONLY_FEATURES_HINT =
  'The project is open read-only here, so features cannot be computed and saved: copy the folder somewhere you can write and open the copy.';

/**
 * "N images outside test triplets have no features (… missing or unreadable)", for a list short of
 * them. In a project open read-only nothing was computed there, so "not computed yet" comes first.
 */
export function noFeaturesText(n: number, which = '', readOnly = false): string {
  const one = n === 1;
  const files = one ? 'its file is' : 'their files are';
  const why = readOnly ? `not computed yet, or ${files} missing` : `${files} missing or unreadable`;
  return `${n} image${one ? '' : 's'}${which ? ` ${which}` : ''} ${one ? 'has' : 'have'} no features (${why})`;
}

/** What to do about images without features: import a moved folder again, or, read-only, copy the project. */
export const noFeaturesHint = (readOnly = false): string => (readOnly ? READ_ONLY_FEATURES_HINT : MOVED_FOLDER_HINT);
