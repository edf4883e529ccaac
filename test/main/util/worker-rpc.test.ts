// The one worker-RPC helper: result and progress, errors with their AppError or SQLite code, early
// exit, and both cancel styles (terminate at once; ask the worker and wait for its answer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../src/shared/errors.js';
import { callWorker, WorkerRpc, type CallWorkerOptions } from '../../../src/main/util/worker-rpc.js';
import { startWorker, workersExited } from '../../../src/main/util/worker.js';
import type { RpcTestInput } from '../../fixtures/workers/rpc-worker.js';

const ENTRY = new URL('../../fixtures/workers/rpc-worker.js', import.meta.url);
type Result = { sum: number; data: Float32Array };
const call = (mode: RpcTestInput['mode'], opts: Partial<CallWorkerOptions<number>> = {}, progress: number[] = []) =>
  callWorker<Result, number>(ENTRY, { mode } satisfies RpcTestInput, { name: 'Test worker', onProgress: (p) => progress.push(p), ...opts });

test('progress in order, then the result (transferred buffers arrive intact)', async () => {
  const progress: number[] = [];
  const r = await call('result', {}, progress);
  assert.deepEqual(progress, [1, 2]);
  assert.equal(r.sum, 3);
  assert.deepEqual([...r.data], [1, 2, 3]);
});

test('an AppError keeps its code and details; a plain error keeps its SQLite code and gets the prefix', async () => {
  await assert.rejects(call('app-error'), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'INVALID_FILE');
    assert.deepEqual(err.details, { file: 'x.txt', line: 3 });
    return true;
  });
  await assert.rejects(call('sys-error', { errorPrefix: 'Import failed: ' }), (err: Error & { code?: string }) => {
    assert.ok(!(err instanceof AppError));
    assert.equal(err.message, 'Import failed: database is locked');
    assert.equal(err.code, 'SQLITE_BUSY');
    return true;
  });
});

test('a worker that exits before answering rejects with the exit code', async () => {
  await assert.rejects(call('exit'), /Test worker exited early \(code 3\)/);
});

test("cancel 'settle' rejects at once with AbortError and terminates the worker", async () => {
  const controller = new AbortController();
  const rpc = new WorkerRpc<Result>({ name: 'Test worker', signal: controller.signal });
  const exited = new Promise<number>((resolve) => {
    const w = rpc.start<{ t: 'progress'; p: number } | { t: 'result'; value: Result }>(ENTRY, { mode: 'hang' }, (msg) => {
      if (msg.t === 'progress') controller.abort();
    });
    w.once('exit', resolve);
  });
  const t0 = performance.now();
  await assert.rejects(rpc.promise, (err: Error) => err.name === 'AbortError');
  assert.ok(performance.now() - t0 < 5000);
  await exited; // a hanging worker ends only when terminated
});

test("cancel 'ask' waits for the worker's own abort answer", async () => {
  const controller = new AbortController();
  const progress: number[] = [];
  const run = call('wait-abort', { signal: controller.signal, cancel: 'ask', onProgress: (p) => (progress.push(p), controller.abort()) });
  await assert.rejects(run, (err: Error) => err.name === 'AbortError');
  assert.deepEqual(progress, [0], 'the worker had started and saw the abort');
});

test('an already aborted signal rejects without starting a worker', async () => {
  await assert.rejects(call('result', { signal: AbortSignal.abort() }), (err: Error) => err.name === 'AbortError');
  await assert.rejects(call('result', { signal: AbortSignal.abort(), cancel: 'ask' }), (err: Error) => err.name === 'AbortError');
});

test('workersExited waits for workers still winding down, and gives up after its timeout', async () => {
  const w = startWorker(ENTRY, { mode: 'hang' } satisfies RpcTestInput);
  await new Promise((r) => w.once('online', r));
  assert.equal(await workersExited(200), false, 'a worker that does not exit: false after the timeout');
  const t0 = Date.now();
  setTimeout(() => void w.terminate(), 300);
  assert.equal(await workersExited(10_000), true);
  assert.ok(Date.now() - t0 >= 250, 'resolved only once the worker had exited');
  assert.equal(await workersExited(0), true, 'none left: at once');
});
