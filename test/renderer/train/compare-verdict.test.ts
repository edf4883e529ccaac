// The compare panel's line above its table, for each state the two runs' scores can be in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunScoreNow, RunSummary } from '../../../src/shared/types.js';
import { comparedOptions, compareVerdict } from '../../../src/renderer/views/train/compare-verdict.js';

/** A run with only what the verdict reads. */
const run = (id: number, now: RunScoreNow | null): RunSummary => ({ id, now }) as RunSummary;
const scored = (accuracy: number | null, scoredCount: number, unscored = 0): RunScoreNow => ({ accuracy, scored: scoredCount, unscored, changed: true });

test('both runs scored every test triplet as it is now: the difference, with its caveat', () => {
  assert.deepEqual(compareVerdict(run(1, scored(0.8, 600)), run(2, scored(0.85, 600)), false), { kind: 'delta', tests: 600, delta: 0.85 - 0.8, caveat: null });
  const small = compareVerdict(run(1, scored(0.5, 40)), run(2, scored(0.525, 40)), false);
  assert.equal(small.kind, 'delta');
  assert.equal(small.kind === 'delta' && small.caveat, 'one test triplet of 40 is 2.5 points');
});

test('a run that is not finished (no score now) gets no line', () => {
  assert.deepEqual(compareVerdict(run(1, scored(0.8, 10)), run(2, null), false), { kind: 'none' });
});

test('no active test triplets', () => {
  assert.deepEqual(compareVerdict(run(1, scored(null, 0)), run(2, scored(null, 0)), false), { kind: 'no-tests' });
});

test('unscored triplets offer scoring both; after it, the ones left are named as unscorable', () => {
  const a = run(1, scored(0.9, 39, 1));
  const b = run(2, scored(0.92, 40));
  assert.deepEqual(compareVerdict(a, b, false), { kind: 'score-both' });
  assert.deepEqual(compareVerdict(a, b, true), { kind: 'unscorable', count: 1 });
  // A run that scored nothing yet (every triplet added since) also asks to be scored.
  assert.deepEqual(compareVerdict(run(1, scored(null, 0, 5)), run(2, scored(0.6, 5)), false), { kind: 'score-both' });
});

test('the options table lists the usual options, and any other one the two runs differ in', () => {
  const base = { backbone: 'mobilenet_v1_0.75_224', distance: 'l2', epochs: 2, derived: 1, weightDecay: 0 };
  const withOptions = (id: number, options: object): RunSummary => ({ id, options }) as RunSummary;
  const keys = (a: RunSummary, b: RunSummary) => comparedOptions(a, b).map((o) => o.key);
  const same = keys(withOptions(1, base), withOptions(2, base));
  assert.ok(same.includes('epochs') && same.includes('seed'), 'the usual ones, even when equal');
  assert.ok(!same.includes('derived') && !same.includes('weightDecay'), 'others only when they differ');
  const differ = keys(withOptions(1, base), withOptions(2, { ...base, derived: 0, weightDecay: 0.01 }));
  assert.deepEqual(differ.filter((k) => !same.includes(k)).sort(), ['derived', 'weightDecay']);
});
