// What the compare panel says above its table: the two runs' difference on the same test labels,
// or why there is none yet. Pure, so every branch is tested without a browser.
import { TRAIN_OPTION_LIST, type TrainOptionSpec } from '../../../shared/train-options.js';
import type { RunSummary, TrainOptions } from '../../../shared/types.js';
import { accuracyChangeCaveat, shownChange } from '../../lib/format.js';

export type CompareVerdict =
  /** Either run has no score on today's labels (not finished): nothing is said. */
  | { kind: 'none' }
  /** There are no active test triplets. */
  | { kind: 'no-tests' }
  /** Both runs scored every test triplet as it is now: `b − a` is like for like. */
  | { kind: 'delta'; tests: number; delta: number; caveat: string | null }
  /** Some were scored by neither run even after scoring both: an image of each has no features. */
  | { kind: 'unscorable'; count: number }
  /** Some test triplets are unscored by a run: scoring both would make them comparable. */
  | { kind: 'score-both' };

/** `scoredBoth`: both runs were just scored on today's labels (from this panel). */
export function compareVerdict(a: RunSummary, b: RunSummary, scoredBoth: boolean): CompareVerdict {
  if (!a.now || !b.now) return { kind: 'none' };
  const tests = a.now.scored + a.now.unscored;
  if (tests === 0) return { kind: 'no-tests' };
  if (a.now.unscored === 0 && b.now.unscored === 0 && a.now.accuracy !== null && b.now.accuracy !== null) {
    const delta = shownChange(b.now.accuracy, a.now.accuracy);
    return { kind: 'delta', tests, delta, caveat: accuracyChangeCaveat(delta, tests) };
  }
  if (scoredBoth) return { kind: 'unscorable', count: Math.max(a.now.unscored, b.now.unscored) };
  return { kind: 'score-both' };
}

/** The options every comparison lists; any other one is listed when the two runs differ in it. */
const ALWAYS_COMPARED = new Set<keyof TrainOptions>(['backbone', 'distance', 'margin', 'epochs', 'batchSize', 'learningRate', 'dropout', 'hidden', 'embedding', 'ensemble', 'validationSplit', 'patience', 'seed']);

/** A run's value of an option as the table shows it ('—' when the run did not record it). */
export const optionText = (r: RunSummary, key: keyof TrainOptions): string => String(r.options[key] ?? '—');

/**
 * The rows of the options table: the usual options, and every other one (implied triplets, weight
 * decay, resize…) the two runs differ in, so a change in accuracy never sits beside options that
 * look the same.
 */
export function comparedOptions(a: RunSummary, b: RunSummary): TrainOptionSpec[] {
  return TRAIN_OPTION_LIST.filter((o) => ALWAYS_COMPARED.has(o.key) || optionText(a, o.key) !== optionText(b, o.key));
}
