import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Events } from '../../../src/shared/ipc.js';
import { JobManager } from '../../../src/main/jobs/manager.js';
import { abortError } from '../../../src/main/jobs/abort.js';
import { AppError } from '../../../src/shared/errors.js';

type Ev = { e: string; p: Events['job:progress'] | Events['job:done'] | Events['job:failed']; t: number };

function manager(): { jobs: JobManager; events: Ev[] } {
  const events: Ev[] = [];
  const jobs = new JobManager((e, p) => events.push({ e, p, t: performance.now() }));
  return { jobs, events };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('progress is throttled to at most 10 events per second, with an ETA; done carries the result', async () => {
  const { jobs, events } = manager();
  const t0 = performance.now();
  const id = jobs.start('import-images', async (ctx) => {
    for (let i = 1; i <= 60; i++) {
      ctx.progress({ phase: 'images', done: i, total: 60 });
      await sleep(10);
    }
    return 'ok';
  });
  assert.equal(await jobs.wait(id), 'ok');
  const seconds = (performance.now() - t0) / 1000;
  const progress = events.filter((x) => x.e === 'job:progress');
  assert.ok(progress.length >= 3 && progress.length <= Math.ceil(seconds * 10) + 1, `${progress.length} progress events in ${seconds} s`);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].t - progress[i - 1].t >= 99, 'at least 100 ms apart');
  assert.ok(progress.some((x) => typeof (x.p as Events['job:progress']).eta === 'number'));
  const done = events.at(-1)!;
  assert.equal(done.e, 'job:done');
  assert.deepEqual(done.p, { jobId: id, kind: 'import-images', result: 'ok' });
});

test("throttling never drops an epoch's closing report (keep), even when epochs are shorter than the interval", async () => {
  const { jobs, events } = manager();
  const id = jobs.start('train', async (ctx) => {
    for (let epoch = 1; epoch <= 20; epoch++) {
      ctx.progress({ phase: 'train', done: epoch * 2 - 1, total: 40, epoch, loss: 1 / epoch });
      ctx.progress({ phase: 'train', done: epoch * 2, total: 40, epoch, loss: 1 / epoch, valAccuracy: epoch / 20, keep: true });
      await sleep(5);
    }
    return 'ok';
  });
  assert.equal(await jobs.wait(id), 'ok');
  await sleep(150);
  const closing = events.filter((x) => x.e === 'job:progress' && (x.p as Events['job:progress']).keep);
  assert.deepEqual(closing.map((x) => (x.p as Events['job:progress']).epoch), Array.from({ length: 20 }, (_, i) => i + 1));
});

test('one heavy job at a time (BUSY); cancel reports job:failed with cancelled', async () => {
  const { jobs, events } = manager();
  const id = jobs.start('train', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(abortError()))));
  assert.throws(() => jobs.start('import-images', async () => 1), { code: 'BUSY' });
  assert.equal(jobs.cancel(id), true);
  await assert.rejects(jobs.wait(id));
  await sleep(0);
  const failed = events.find((x) => x.e === 'job:failed')!.p as Events['job:failed'];
  assert.deepEqual([failed.cancelled, failed.error.code], [true, 'CANCELLED']);
  assert.equal(jobs.cancel(id), false);
  const id2 = jobs.start('import-images', async () => {
    throw new Error('disk full');
  });
  await assert.rejects(jobs.wait(id2));
  const f2 = events.filter((x) => x.e === 'job:failed').at(-1)!.p as Events['job:failed'];
  assert.deepEqual([f2.cancelled, f2.error.message], [false, 'disk full']);
});

test('a job the app started on its own (yields) is cancelled by a heavy job the user starts, which runs once it has stopped', async () => {
  const { jobs, events } = manager();
  const order: string[] = [];
  // The background job saves its batch on abort, a little later, as ensureFeatures does.
  const background = jobs.start(
    'embed',
    (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => setTimeout(() => (order.push('embed stopped'), reject(abortError())), 30))),
    { yields: true },
  );
  assert.throws(() => jobs.start('embed', async () => 1, { yields: true }), { code: 'BUSY' }, 'a second background job waits its turn');
  const suggest = jobs.start('suggest', async () => (order.push('suggest ran'), 's'), { heavy: false });
  assert.equal(await jobs.wait(suggest), 's');
  assert.deepEqual(order, ['suggest ran'], 'a light job leaves it running');
  const train = jobs.start('train', async () => (order.push('train ran'), 't'));
  assert.equal(await jobs.wait(train), 't');
  assert.deepEqual(order, ['suggest ran', 'embed stopped', 'train ran'], 'the user job starts only after the background one stopped');
  const failed = events.find((x) => x.e === 'job:failed' && (x.p as Events['job:failed']).jobId === background)?.p as Events['job:failed'];
  assert.equal(failed.cancelled, true);

  // The user's job is never cancelled by a background one: that one meets BUSY instead.
  const user = jobs.start('train', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(abortError()))));
  assert.throws(() => jobs.start('embed', async () => 1, { yields: true }), { code: 'BUSY' });
  jobs.cancel(user);
  await assert.rejects(jobs.wait(user));
});

test('a job that fails unexpectedly leaves its stack in the log and its failure names the file; a cancelled or coded one does not', async () => {
  const logged: string[] = [];
  const log = { file: '/data/logs/triplet-studio.log', error: (what: string, err: unknown) => void logged.push(`${what}: ${(err as Error).stack}`) };
  const events: Events['job:failed'][] = [];
  const jobs = new JobManager((e, p) => e === 'job:failed' && events.push(p as Events['job:failed']), log);
  const bug = jobs.start('audit', async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'length')");
  });
  await assert.rejects(jobs.wait(bug));
  const coded = jobs.start('train', async () => {
    throw new AppError('MISSING_BACKBONE', 'No weights.');
  });
  await assert.rejects(jobs.wait(coded));
  const cancelled = jobs.start('train', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(abortError()))));
  jobs.cancel(cancelled);
  await assert.rejects(jobs.wait(cancelled));
  await sleep(0);
  assert.deepEqual(
    events.map((f) => [f.error.code, f.error.details ?? null]),
    [['INTERNAL', { log: log.file }], ['MISSING_BACKBONE', null], ['CANCELLED', null]],
  );
  assert.equal(logged.length, 1);
  assert.match(logged[0], /^job audit: TypeError: Cannot read properties of undefined \(reading 'length'\)\n\s+at /);
});
