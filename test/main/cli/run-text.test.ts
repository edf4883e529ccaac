// What `train` and `runs` say about a run's counts and epochs: after a refit the counts add up (the
// final model trained on every triplet, the epoch was chosen on fewer), an early stop says how many
// epochs ran, and few validation triplets are said to be few.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/ml/defaults.js';
import { describeRun, runsTable } from '../../../src/main/cli/commands/train.js';
import type { RunSummary } from '../../../src/shared/types.js';

const epoch = (n: number) => ({ epoch: n, loss: 0.1, valLoss: 0.1, valAccuracy: 0.5, seconds: 1 });
const run = (over: Partial<RunSummary>, options: Partial<RunSummary['options']> = {}): RunSummary =>
  ({
    id: 1,
    status: 'finished',
    testAccuracy: 0.94,
    baselineAccuracy: 0.75,
    testCount: 150,
    trainCount: 300,
    valCount: 0,
    bestEpoch: 8,
    backend: 'wasm',
    timings: { train: 3 },
    epochs: Array.from({ length: 8 }, (_, i) => epoch(i + 1)),
    options: { ...DEFAULT_TRAIN_OPTIONS, epochs: 8, ...options },
    ...over,
  }) as RunSummary;

test('a refit run: the final model trained on all train triplets, the epoch chosen on the validation pass', () => {
  const text = describeRun(run({ trainCount: 300, valCount: 2, bestEpoch: 1, validation: { heldImages: 59, triplets: 2, unused: 205, tripletSource: 'memory' } }, { refit: true, validationSplit: 0.3 }));
  assert.match(text, /300 train triplets \(refit on all of them; the epoch was chosen on 2 validation triplets of 59 held-out images, training on 93\)/);
  assert.match(text, /only 2 validation triplets: the best epoch rests on little/);
});

test('an early stop says how many epochs ran; a plain run says nothing more', () => {
  const stopped = describeRun(run({ valCount: 40, bestEpoch: 1, epochs: [epoch(1), epoch(2), epoch(3)], validation: { heldImages: 30, triplets: 40, unused: 20, tripletSource: 'memory' } }, { epochs: 12, patience: 2, validationSplit: 0.3 }));
  assert.match(stopped, /best epoch 1 of 3 \(stopped early; 12 allowed\)/);
  assert.doesNotMatch(stopped, /rests on little/);
  const plain = describeRun(run({}));
  assert.match(plain, /300 train \/ 0 validation triplets, best epoch 8 of 8, backend wasm/);
});

test('runs: a cancelled run shows no train or test count and no backend (it counted nothing), a finished one does', () => {
  const rows = runsTable([
    run({ id: 1, createdAt: '2026-12-07T10:00:00Z' }),
    run({ id: 2, status: 'cancelled', createdAt: '2026-12-07T11:00:00Z', trainCount: 0, testCount: 0, backend: '', testAccuracy: null, baselineAccuracy: null, bestEpoch: null }),
  ]).split('\n');
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  const head = cells(rows[0]);
  const at = (name: string) => head.indexOf(name);
  const [finished, cancelled] = [cells(rows.find((l) => /^\s*1\s/.test(l))!), cells(rows.find((l) => /^\s*2\s/.test(l))!)];
  assert.deepEqual([finished[at('backend')], finished[at('train')], finished[at('test')]], ['wasm', '300', '150']);
  assert.deepEqual([cancelled[at('backend')], cancelled[at('train')], cancelled[at('test')]], ['-', '-', '-']);
});

test('runs: a run with nothing scored on the labels now shows "-", not "- of 0"', () => {
  const rows = runsTable([
    run({ id: 1, createdAt: '2026-12-07T10:00:00Z', testAccuracy: null, testCount: 0, now: { accuracy: null, scored: 0, unscored: 0, changed: false } }),
    run({ id: 2, createdAt: '2026-12-07T11:00:00Z', now: { accuracy: null, scored: 0, unscored: 3, changed: true } }),
    run({ id: 3, createdAt: '2026-12-07T12:00:00Z', now: { accuracy: 0.9, scored: 40, unscored: 0, changed: true } }),
  ]).split('\n');
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  const at = cells(rows[0]).indexOf('on labels now');
  const nowOf = (id: number) => cells(rows.find((l) => new RegExp(`^\\s*${id}\\s`).test(l))!)[at];
  assert.deepEqual([nowOf(1), nowOf(2), nowOf(3)], ['-', '- (3 unscored)', '90.0% of 40']);
});
