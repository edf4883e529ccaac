// The page's own uncaught errors go to the main side's log (capped per page load; the user told
// once); failed requests and benign browser noise are not reported again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_REPORTS, pageErrorReport, watchPageErrors, type PageErrorReport } from '../../../src/renderer/lib/page-errors.js';

/** An uncaught error or rejection as the window dispatches it. */
const errorEvent = (error: unknown) => Object.assign(new Event('error'), { error, message: error instanceof Error ? error.message : String(error) });
const rejectionEvent = (reason: unknown) => Object.assign(new Event('unhandledrejection'), { reason });

test('what is reported: errors of the page with their stack; not requests, not ResizeObserver noise', () => {
  const bug = new TypeError("Cannot read properties of null (reading 'x')");
  const r = pageErrorReport('error', bug);
  assert.equal(r?.message, "TypeError: Cannot read properties of null (reading 'x')");
  assert.match(r?.stack ?? '', /page-errors\.test\.ts/);
  assert.deepEqual(pageErrorReport('unhandled rejection', 'plain string'), { where: 'unhandled rejection', message: 'plain string' });
  const apiError = Object.assign(new Error('No project is open.'), { name: 'ApiError', code: 'NO_PROJECT' });
  assert.equal(pageErrorReport('unhandled rejection', apiError), null);
  assert.equal(pageErrorReport('unhandled rejection', { code: 'INTERNAL', message: 'from the preload' }), null);
  assert.equal(pageErrorReport('unhandled rejection', new DOMException('Storage is full', 'QuotaExceededError'))?.message, 'QuotaExceededError: Storage is full', "a DOMException (it has a code too) is the page's own");
  assert.equal(pageErrorReport('error', 'ResizeObserver loop completed with undelivered notifications.'), null);
  const long = pageErrorReport('error', new Error('y'.repeat(5000)));
  assert.ok(long && long.message.length <= 2000 && (long.stack?.length ?? 0) <= 8000, 'within the request schema');
});

test('uncaught errors and rejections are sent, at most MAX_REPORTS per page load; the user is told once', async () => {
  const target = new EventTarget();
  const sent: PageErrorReport[] = [];
  let told = 0;
  const stop = watchPageErrors(target as unknown as Window, async (r) => void sent.push(r), () => told++);
  target.dispatchEvent(errorEvent(new Error('first')));
  target.dispatchEvent(rejectionEvent(new RangeError('second')));
  target.dispatchEvent(rejectionEvent(Object.assign(new Error('a failed request'), { name: 'ApiError', code: 'BUSY' })));
  assert.deepEqual(sent.map((r) => [r.where, r.message]), [['error', 'Error: first'], ['unhandled rejection', 'RangeError: second']]);
  assert.equal(told, 1);
  for (let i = 0; i < 20; i++) target.dispatchEvent(errorEvent(new Error(`loop ${i}`)));
  assert.equal(sent.length, MAX_REPORTS);
  assert.equal(told, 1);
  stop();
  const before = sent.length;
  target.dispatchEvent(errorEvent(new Error('after stop')));
  assert.equal(sent.length, before, 'the listeners are removed');
});

test('a report that cannot be sent (disconnected) is dropped quietly', async () => {
  const target = new EventTarget();
  let attempts = 0;
  watchPageErrors(target as unknown as Window, () => (attempts++, Promise.reject(new Error('DISCONNECTED'))), () => {});
  target.dispatchEvent(errorEvent(new Error('while offline')));
  await new Promise((r) => setImmediate(r));
  assert.equal(attempts, 1);
});
