// The one progress reporter (ETA + throttling) that both the JobManager and the CLI bar use.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { etaEstimator, progressReporter, rateEstimator, type Progress } from '../../../src/main/jobs/progress.js';

test('etaEstimator: average rate since the phase began; restarts on a new phase', () => {
  let t = 0;
  const eta = etaEstimator(() => t);
  assert.equal(eta('a', 0, 100), undefined);
  t = 1000;
  assert.equal(eta('a', 10, 100), 9); // 10 per second, 90 left
  assert.equal(eta('b', 10, 20), undefined);
  t = 3000;
  assert.equal(eta('b', 15, 20), 2);
});

test('the reporter adds an ETA when the producer gives none and keeps a producer ETA', async () => {
  const sent: Progress[] = [];
  const r = progressReporter((p) => sent.push(p), 0);
  r.report({ phase: 'importing', done: 0, total: 100 });
  await sleep(250);
  r.report({ phase: 'importing', done: 50, total: 100 });
  r.report({ phase: 'importing', done: 60, total: 100, eta: 7 });
  r.stop();
  assert.equal(sent.length, 3);
  assert.equal(sent[0].eta, undefined);
  assert.ok(typeof sent[1].eta === 'number' && sent[1].eta > 0.1 && sent[1].eta < 5, String(sent[1].eta));
  assert.equal(sent[2].eta, 7);
});

test('throttled: a burst becomes the first and the latest report; keep reports are never dropped', async () => {
  const sent: Progress[] = [];
  const r = progressReporter((p) => sent.push(p), 50);
  for (let i = 1; i <= 100; i++) r.report({ phase: 'train', done: i, total: 100, ...(i % 25 === 0 ? { keep: true } : {}) });
  await sleep(120);
  r.stop();
  const done = sent.map((p) => p.done);
  assert.equal(done[0], 1);
  for (const k of [25, 50, 75, 100]) assert.ok(done.includes(k), `closing report ${k} kept: ${done.join()}`);
  assert.ok(sent.length <= 6, `throttled: ${done.join()}`);
});

test('a new step (a changed message) goes out at once, as a new phase does; the same message is throttled', () => {
  const sent: Progress[] = [];
  const r = progressReporter((p) => sent.push(p), 10_000);
  // An export's steps share one phase and follow each other within a millisecond before a blocking build.
  r.report({ phase: 'export', done: 0, total: 3, message: 'Computing the encodings' });
  r.report({ phase: 'export', done: 1, total: 3, message: 'Building the ONNX model' });
  r.report({ phase: 'export', done: 1, total: 3, message: 'Building the ONNX model' });
  r.report({ phase: 'export', done: 2, total: 3, message: 'Writing the files' });
  r.report({ phase: 'export', done: 2, total: 3 });
  r.stop();
  assert.deepEqual(
    sent.map((p) => p.message),
    ['Computing the encodings', 'Building the ONNX model', 'Writing the files'],
    'each step once; a repeat of a step, or a report without a message, waits for the interval',
  );
});

test('stop sends a pending keep report; with flush any pending report; nothing after stop', () => {
  const sent: Progress[] = [];
  const r = progressReporter((p) => sent.push(p), 10_000);
  r.report({ phase: 'p', done: 1, total: 3 });
  r.report({ phase: 'p', done: 2, total: 3 });
  r.stop();
  assert.deepEqual(sent.map((p) => p.done), [1], 'a plain pending report is dropped by default (job:done follows)');
  const flushed: Progress[] = [];
  const f = progressReporter((p) => flushed.push(p), 10_000);
  f.report({ phase: 'p', done: 1, total: 3 });
  f.report({ phase: 'p', done: 3, total: 3 });
  f.stop({ flush: true });
  f.report({ phase: 'p', done: 4, total: 3 });
  assert.deepEqual(flushed.map((p) => p.done), [1, 3]);
});

test('rateEstimator: items per second since the phase began (images/s for embed), also without a total', () => {
  let t = 0;
  const est = rateEstimator(() => t);
  assert.deepEqual(est('features', 100, 1000), {});
  t = 2000;
  assert.deepEqual(est('features', 300, 1000), { rate: 100, eta: 7 });
  t = 3000;
  assert.deepEqual(est('features', 400, 0), { rate: 100 });
});

test('the reporter passes the rate on', async () => {
  const sent: Progress[] = [];
  const r = progressReporter((p) => sent.push(p), 0);
  r.report({ phase: 'features', done: 0, total: 100 });
  await sleep(250);
  r.report({ phase: 'features', done: 50, total: 100 });
  r.stop();
  assert.equal(sent[0].rate, undefined);
  assert.ok(typeof sent[1].rate === 'number' && sent[1].rate > 10 && sent[1].rate < 250, String(sent[1].rate));
});

test('a new phase is sent at once, even inside the interval: a short phase is never coalesced away', () => {
  const sent: string[] = [];
  const r = progressReporter((p) => sent.push(`${p.phase}:${p.done}`), 10_000);
  r.report({ phase: 'reduce', done: 1, total: 3 });
  r.report({ phase: 'reduce', done: 2, total: 3 });
  r.report({ phase: 'layout', done: 1, total: 3 });
  r.stop();
  assert.deepEqual(sent, ['reduce:1', 'layout:1']);
});
