import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../src/shared/errors.js';
import type { StudioServiceApi } from '../../../src/shared/ipc.js';
import { createDispatcher, type SenderInfo } from '../../../src/main/ipc/dispatch.js';

const trusted: SenderInfo = { transport: 'electron', frameUrl: 'app://studio/index.html', isMainFrame: true, fromOurWindow: true };
const socket: SenderInfo = { transport: 'socket', authenticated: true };

/** A service whose every method records its call; a few throw to exercise error mapping. */
function fakeService() {
  const calls: Array<[string, unknown]> = [];
  const service = new Proxy({} as StudioServiceApi, {
    get(_t, name) {
      if (typeof name !== 'string') return undefined;
      return (args: unknown) => {
        calls.push([name, args]);
        if (name === 'projectInfo') throw new AppError('NO_PROJECT', 'No project is open.');
        if (name === 'runs') throw new Error('disk on fire');
        if (name === 'evaluate') return Promise.reject(Object.assign(new Error('stop'), { name: 'AbortError' }));
        return { echoed: name, args };
      };
    },
  });
  return { service, calls };
}

function setup() {
  const { service, calls } = fakeService();
  const dialogs: unknown[] = [];
  const d = createDispatcher(service, {
    pickFolder: async (a) => (dialogs.push(a), '/picked/folder'),
    pickFile: async () => null,
  });
  return { d, calls, dialogs };
}

test('unknown channels are refused before anything runs', async () => {
  const { d, calls } = setup();
  for (const name of ['deleteEverything', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
    const r = await d.dispatch(name, {}, trusted);
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.equal(r.error.code, 'UNKNOWN_CHANNEL', name);
  }
  assert.equal(calls.length, 0);
});

test('untrusted senders get FORBIDDEN and never reach the service', async () => {
  const { d, calls } = setup();
  const senders: SenderInfo[] = [
    { transport: 'electron', frameUrl: 'https://example.com/', isMainFrame: true, fromOurWindow: true },
    { transport: 'electron', frameUrl: 'app://studio/index.html', isMainFrame: false, fromOurWindow: true },
    { transport: 'electron', frameUrl: 'app://studio/index.html', isMainFrame: true, fromOurWindow: false },
    { transport: 'electron', frameUrl: 'app://evil/index.html', isMainFrame: true, fromOurWindow: true },
    { transport: 'electron', frameUrl: 'file:///etc/passwd', isMainFrame: true, fromOurWindow: true },
    { transport: 'electron', frameUrl: null, isMainFrame: true, fromOurWindow: true },
    { transport: 'socket', authenticated: false },
    { transport: 'carrier-pigeon' } as unknown as SenderInfo,
  ];
  for (const s of senders) {
    const r = await d.dispatch('recentProjects', {}, s);
    assert.equal(r.ok, false, JSON.stringify(s));
    if (!r.ok) assert.equal(r.error.code, 'FORBIDDEN', JSON.stringify(s));
  }
  assert.equal(calls.length, 0);
});

test('bad arguments are refused with a message naming the field', async () => {
  const { d, calls } = setup();
  const cases: Array<[string, unknown, RegExp]> = [
    ['importTriplets', { file: '/x/train.txt', split: 'val' }, /^importTriplets: split: expected 'train' or 'test'$/],
    ['getImage', { id: '3' }, /id: expected a number, got string/],
    ['getImage', {}, /id: required/],
    ['getImage', { id: -1 }, /id: must be more than 0/], // positive(): 0 itself is refused too
    ['listImages', { limit: 100000 }, /limit: must be at most 5000/],
    ['editTriplet', { id: 1, edit: { kind: 'move', split: 3 } }, /edit\.split: expected 'train' or 'test'/],
    ['editTriplet', { id: 1, edit: { kind: 'burn' } }, /edit\.kind: expected 'swap', 'exclude', 'include', 'keep', 'review', 'move', 'delete' or 'replace'/],
    ['train', { options: { distance: 'manhattan' } }, /options\.distance: expected 'l1', 'l2' or 'cosine'/],
    ['openProject', { dir: '' }, /dir: must not be empty/],
    ['projectInfo', 42, /arguments: expected an object/],
  ];
  for (const [name, args, message] of cases) {
    const r = await d.dispatch(name, args, trusted);
    assert.equal(r.ok, false, name);
    if (!r.ok) {
      assert.equal(r.error.code, 'BAD_ARGUMENTS', name);
      assert.match(r.error.message, message);
    }
  }
  assert.equal(calls.length, 0);
});

test('good requests reach the service with parsed arguments', async () => {
  const { d, calls, dialogs } = setup();
  const r = await d.dispatch('getImage', { id: 3, sneaky: true }, socket);
  assert.deepEqual(r, { ok: true, value: { echoed: 'getImage', args: { id: 3 } } });
  assert.deepEqual(calls, [['getImage', { id: 3 }]]);
  // Requests without arguments may omit them.
  const recent = await d.dispatch('recentProjects', undefined, trusted);
  assert.equal(recent.ok, true);
  const edit = await d.dispatch('editTriplet', { id: 7, edit: { kind: 'move', split: 'test' } }, trusted);
  assert.deepEqual(edit, { ok: true, value: { echoed: 'editTriplet', args: { id: 7, edit: { kind: 'move', split: 'test' } } } });
  // Dialogs go to the host, not the service.
  assert.deepEqual(await d.dispatch('pickFolder', { title: 'Images' }, trusted), { ok: true, value: '/picked/folder' });
  assert.deepEqual(dialogs, [{ title: 'Images' }]);
  assert.deepEqual(await d.dispatch('pickFile', {}, trusted), { ok: true, value: null });
  assert.equal(calls.some(([n]) => n === 'pickFolder' || n === 'pickFile'), false);
});

test('handler errors become envelopes, never exceptions', async () => {
  const { d } = setup();
  assert.deepEqual(await d.dispatch('projectInfo', {}, trusted), { ok: false, error: { code: 'NO_PROJECT', message: 'No project is open.' } });
  assert.deepEqual(await d.dispatch('runs', {}, trusted), { ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
  assert.deepEqual(await d.dispatch('evaluate', {}, trusted), { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
  // A host whose dialog throws is reported too.
  const broken = createDispatcher(fakeService().service, {
    pickFolder: () => {
      throw new Error('no display');
    },
    pickFile: async () => null,
  });
  assert.deepEqual(await broken.dispatch('pickFolder', {}, trusted), { ok: false, error: { code: 'INTERNAL', message: 'no display' } });
});

test('with a log, an unexpected failure leaves its stack there and the reply names the file; coded ones do not', async () => {
  const logged: Array<[string, unknown]> = [];
  const log = { file: '/data/logs/triplet-studio.log', error: (what: string, err: unknown) => void logged.push([what, err]) };
  const d = createDispatcher(fakeService().service, { pickFolder: async () => null, pickFile: async () => null }, log);
  assert.deepEqual(await d.dispatch('runs', {}, socket), { ok: false, error: { code: 'INTERNAL', message: 'disk on fire', details: { log: log.file } } });
  assert.deepEqual(await d.dispatch('projectInfo', {}, socket), { ok: false, error: { code: 'NO_PROJECT', message: 'No project is open.' } });
  assert.equal((await d.dispatch('evaluate', {}, socket)).ok, false);
  assert.equal(logged.length, 1, 'only the unexpected one');
  assert.equal(logged[0][0], 'request runs');
  assert.match((logged[0][1] as Error).stack ?? '', /disk on fire\n\s+at /);
});

test('writes go only to picked paths: a native dialog answer or a typed, confirmed path (both transports)', async () => {
  const { d, calls } = setup();
  const refused = await d.dispatch('createProject', { dir: '/picked/folder' }, trusted);
  assert.equal(refused.ok, false);
  if (!refused.ok) assert.equal(refused.error.code, 'FORBIDDEN');
  assert.equal(calls.some(([n]) => n === 'createProject'), false, 'the service never saw it');
  // The native dialog's answer is recorded as picked (to write into: a folder picked to read from is not enough).
  assert.deepEqual(await d.dispatch('pickFolder', {}, trusted), { ok: true, value: '/picked/folder' });
  assert.equal((await d.dispatch('createProject', { dir: '/picked/folder' }, trusted)).ok, false);
  assert.deepEqual(await d.dispatch('pickFolder', { write: true }, trusted), { ok: true, value: '/picked/folder' });
  assert.equal((await d.dispatch('createProject', { dir: '/picked/folder' }, trusted)).ok, true);
  assert.equal((await d.dispatch('createProject', { dir: '/picked/folder/sub' }, trusted)).ok, false, 'exact paths only');
  // A typed path is confirmed (made absolute) and recorded without showing a dialog.
  assert.deepEqual(await d.dispatch('pickFile', { save: true, typed: '/tmp/out/../train.txt' }, socket), { ok: true, value: '/tmp/train.txt' });
  assert.equal((await d.dispatch('exportTriplets', { file: '/tmp/train.txt', split: 'train' }, socket)).ok, true);
  // No project open (projectInfo throws NO_PROJECT here): nothing else is writable.
  const other = await d.dispatch('exportTriplets', { file: '/etc/cron.d/x', split: 'train' }, socket);
  assert.equal(other.ok, false);
  if (!other.ok) assert.match(other.error.message, /^exportTriplets: refused to write to \/etc\/cron\.d\/x: choose it in the file dialog first/);
});
