// Quitting the desktop app while a job runs asks first (the window's own question, "Stop and
// quit"); with nothing running (or only the app's own background job), or a service that cannot say
// in time, it quits without asking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayQuit } from '../../../src/main/electron/quit.js';
import type { StopJobQuestion } from '../../../src/shared/job-text.js';
import type { ActiveJob } from '../../../src/shared/types.js';

const job = (kind: ActiveJob['kind']): ActiveJob => ({ jobId: `j-${kind}`, kind, progress: null, kept: [], meta: {} });

test('a running training: asked with its name and what stopping keeps; the answer decides', async () => {
  for (const answer of [false, true]) {
    const asked: StopJobQuestion[] = [];
    const quit = await mayQuit({ activeJobs: async () => [job('train'), job('embed')], ask: async (q) => (asked.push(q), answer) });
    assert.equal(quit, answer);
    assert.deepEqual(asked, [
      { title: 'Training is still running', text: 'Quitting stops it first. The run keeps the epochs it has finished. Another job stops too.', confirm: 'Stop and quit', cancel: 'Keep training' },
    ]);
  }
});

test('nothing running, a service that failed, or one that does not answer in time: quits without asking', async () => {
  const ask = async () => assert.fail('asked');
  assert.equal(await mayQuit({ activeJobs: async () => [], ask }), true);
  assert.equal(await mayQuit({ activeJobs: async () => [{ ...job('embed'), yields: true }], ask }), true, 'only the app’s own background features');
  assert.equal(await mayQuit({ activeJobs: () => undefined, ask }), true, 'no service');
  assert.equal(await mayQuit({ activeJobs: () => Promise.reject(new Error('SERVICE_CRASHED')), ask }), true);
  const t0 = performance.now();
  assert.equal(await mayQuit({ activeJobs: () => new Promise(() => {}), ask, timeoutMs: 50 }), true, 'a hung service does not keep the window open');
  assert.ok(performance.now() - t0 < 2000);
});
