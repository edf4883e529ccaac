// The browser-mode pickers, main side: a typed relative path is refused with a clear message (it
// used to resolve against the app's own folder, so `myproject` made a project inside the app), `~`
// means the home folder, and listDir lists one folder (folders first, hidden on request, problems
// as sentences) in browser mode only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { StudioServiceApi } from '../../../src/shared/ipc.js';
import type { DirListing } from '../../../src/shared/types.js';
import { createDispatcher, type SenderInfo } from '../../../src/main/ipc/dispatch.js';
import { listDir } from '../../../src/main/server/list-dir.js';

const socket: SenderInfo = { transport: 'socket', authenticated: true };
const calls: string[] = [];
const service = new Proxy({} as StudioServiceApi, {
  get: (_t, name) => (typeof name === 'string' ? () => (calls.push(name), null) : undefined),
});
const browser = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null, listDir });
const electron = createDispatcher(service, { pickFolder: async () => '/x', pickFile: async () => null });

const root = mkdtempSync(join(tmpdir(), 'ts-pickers-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a typed relative path is refused, not resolved against the app folder; ~ is the home folder', async () => {
  const r = await browser.dispatch('pickFolder', { typed: 'myproject' }, socket);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'BAD_ARGUMENTS');
    assert.match(r.error.message, /"myproject" is not a full path/);
  }
  assert.equal(browser.grants.has(join(process.cwd(), 'myproject'), 'read'), false, 'nothing granted');
  assert.equal((await browser.dispatch('createProject', { dir: join(process.cwd(), 'myproject') }, socket)).ok, false);
  assert.deepEqual(await browser.dispatch('pickFolder', { typed: '~/photos' }, socket), { ok: true, value: join(homedir(), 'photos') });
  assert.deepEqual(await browser.dispatch('pickFile', { typed: '/tmp/a/../b.txt', save: true }, socket), { ok: true, value: '/tmp/b.txt' });
});

test('listDir: folders first, then files with sizes; hidden entries on request; absolute paths only', async () => {
  mkdirSync(join(root, 'b-folder'));
  mkdirSync(join(root, '.hidden-folder'));
  writeFileSync(join(root, 'a.txt'), 'abc');
  writeFileSync(join(root, '.secret'), 'x');
  const r = await browser.dispatch('listDir', { path: root }, socket);
  assert.equal(r.ok, true);
  const listing = (r as { value: DirListing }).value;
  assert.equal(listing.path, root);
  assert.equal(listing.parent, tmpdir());
  assert.deepEqual(listing.entries, [{ name: 'b-folder', kind: 'dir' }, { name: 'a.txt', kind: 'file', size: 3 }]);
  const all = (await browser.dispatch('listDir', { path: root, hidden: true }, socket)) as { value: DirListing };
  assert.deepEqual(all.value.entries.map((e) => e.name), ['.hidden-folder', 'b-folder', '.secret', 'a.txt']);
  const home = (await browser.dispatch('listDir', {}, socket)) as { value: DirListing };
  assert.equal(home.value.path, homedir());
  const rel = await browser.dispatch('listDir', { path: 'src' }, socket);
  assert.equal(rel.ok, false);
  if (!rel.ok) assert.match(rel.error.message, /"src" is not a full path/);
  const missing = await browser.dispatch('listDir', { path: join(root, 'nope') }, socket);
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.equal(missing.error.message, `${join(root, 'nope')} does not exist.`);
  const file = await browser.dispatch('listDir', { path: join(root, 'a.txt') }, socket);
  assert.equal(file.ok, false);
  if (!file.ok) assert.match(file.error.message, /is a file, not a folder/);
  assert.equal(calls.includes('listDir'), false, 'answered by the host, never the service');
});

test('listDir: a folder the user may not read says so', { skip: process.getuid?.() === 0 && 'root reads every folder' }, async () => {
  const locked = join(root, 'locked');
  mkdirSync(locked, { mode: 0o000 });
  const r = await browser.dispatch('listDir', { path: locked }, socket);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.message, `You do not have permission to open ${locked}.`);
});

test('listDir is browser mode only: the desktop app has native dialogs', async () => {
  const r = await electron.dispatch('listDir', { path: root }, socket);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'FORBIDDEN');
});

test('exportRun writes only inside the open project or to paths picked in this session, each target checked', async () => {
  const projectDir = join(root, 'proj');
  const svc = new Proxy({} as StudioServiceApi, {
    get: (_t, name) => (name === 'projectInfo' ? () => ({ dir: projectDir }) : typeof name === 'string' ? () => 'written' : undefined),
  });
  const d = createDispatcher(svc, { pickFolder: async () => null, pickFile: async () => null, listDir });
  const inside = { runId: 1, onnx: join(projectDir, 'exports', 'm.onnx'), tfjs: join(projectDir, 'exports', 'enc'), encodings: join(projectDir, 'e.csv') };
  assert.deepEqual(await d.dispatch('exportRun', inside, socket), { ok: true, value: 'written' });
  // One target outside the project, not picked: refused as a whole, naming that target.
  const outside = join(root, 'elsewhere', 'enc');
  const r = await d.dispatch('exportRun', { ...inside, tfjs: outside }, socket);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'FORBIDDEN');
    assert.match(r.error.message, new RegExp(`refused to write to ${outside}: choose it in the folder dialog first`));
    assert.deepEqual(r.error.details, { request: 'exportRun', path: outside, arg: 'tfjs' });
  }
  // Picked (typed and confirmed in the folder dialog, to write into): allowed.
  assert.equal((await d.dispatch('pickFolder', { typed: outside, write: true }, socket)).ok, true);
  assert.deepEqual(await d.dispatch('exportRun', { ...inside, tfjs: outside }, socket), { ok: true, value: 'written' });
});

test('pathInfo says what a path is, and whether a folder is empty (an export into it replaces nothing)', async () => {
  const { pathInfoOf } = await import('../../../src/main/project/session.js');
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'full'));
  writeFileSync(join(root, 'full', 'x'), 'x');
  assert.deepEqual(pathInfoOf(join(root, 'empty')), { path: join(root, 'empty'), exists: true, kind: 'dir', empty: true });
  assert.deepEqual(pathInfoOf(join(root, 'full')), { path: join(root, 'full'), exists: true, kind: 'dir', empty: false });
  assert.deepEqual(pathInfoOf(join(root, 'full', 'x')), { path: join(root, 'full', 'x'), exists: true, kind: 'file' });
  assert.deepEqual(pathInfoOf(join(root, 'nope')), { path: join(root, 'nope'), exists: false, kind: null });
});

test('the desktop app grants a typed path only through its native dialog: a made-up one opens the dialog on it, a picked one passes', async () => {
  const trusted: SenderInfo = { transport: 'electron', frameUrl: 'app://studio/index.html', isMainFrame: true, fromOurWindow: true };
  const asked: (string | undefined)[] = [];
  let answer: string | null = null;
  const d = createDispatcher(service, {
    pickFolder: async () => null,
    pickFile: async (a) => (asked.push(a.typed), answer),
  });
  const bashrc = join(homedir(), '.bashrc');
  // What a compromised page would try: grant itself a file, then write there.
  assert.deepEqual(await d.dispatch('pickFile', { typed: bashrc, save: true }, trusted), { ok: true, value: null });
  assert.deepEqual(asked, [bashrc], 'the native dialog opened on the typed path; the user cancelled it');
  assert.equal(d.grants.has(bashrc, 'read'), false);
  const refused = await d.dispatch('exportTriplets', { file: bashrc, split: 'train' }, trusted);
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'FORBIDDEN');
  // Confirmed in the dialog: granted; asked again for the same path (the export dialog does), no second dialog.
  const target = join(root, 'train-out.txt');
  answer = target;
  assert.deepEqual(await d.dispatch('pickFile', { typed: target, save: true }, trusted), { ok: true, value: target });
  assert.deepEqual(await d.dispatch('pickFile', { typed: target, save: true }, trusted), { ok: true, value: target });
  assert.deepEqual(asked, [bashrc, target]);
});

test('an export "inside the project" through a link that leads out of it is refused: a project someone else made cannot aim writes at your folders', async () => {
  const projectDir = join(root, 'linked-proj');
  const yours = join(root, 'your-folder');
  mkdirSync(projectDir);
  mkdirSync(yours);
  symlinkSync(yours, join(projectDir, 'exports'));
  const svc = new Proxy({} as StudioServiceApi, {
    get: (_t, name) => (name === 'projectInfo' ? () => ({ dir: projectDir }) : typeof name === 'string' ? () => 'written' : undefined),
  });
  const d = createDispatcher(svc, { pickFolder: async () => null, pickFile: async () => null, listDir });
  const through = join(projectDir, 'exports', 'run-1', 'encodings.csv');
  const r = await d.dispatch('exportRun', { runId: 1, encodings: through }, socket);
  assert.equal(r.ok ? 'ok' : r.error.code, 'FORBIDDEN');
  assert.deepEqual(await d.dispatch('exportRun', { runId: 1, encodings: join(projectDir, 'out', 'encodings.csv') }, socket), { ok: true, value: 'written' });
});

test('reads need a pick too, and a path picked to read from is never written over', async () => {
  const projectDir = join(root, 'read-proj');
  const svc = new Proxy({} as StudioServiceApi, {
    get: (_t, name) => (name === 'projectInfo' ? () => ({ dir: projectDir }) : typeof name === 'string' ? () => 'done' : undefined),
  });
  const trusted: SenderInfo = { transport: 'electron', frameUrl: 'app://studio/index.html', isMainFrame: true, fromOurWindow: true };
  const yours = join(root, 'your-train.txt');
  const d = createDispatcher(svc, { pickFolder: async () => join(root, 'photos'), pickFile: async () => yours });
  const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

  // Not picked, not in the project: a compromised page cannot read your files through an import,
  // "try an image" or a backbone from disk.
  for (const [name, args] of [
    ['importTriplets', { file: join(homedir(), '.ssh', 'id_rsa'), split: 'train' }],
    ['importImages', { folder: join(homedir(), '.ssh') }],
    ['similar', { query: { kind: 'file', path: join(homedir(), '.bashrc') } }],
    ['fetchBackbone', { id: 'mobilenet_v1_0.75_224', from: join(homedir(), '.bashrc') }],
  ] as const) {
    const r = await d.dispatch(name, args, trusted);
    assert.equal(code(r as never), 'FORBIDDEN', name);
    if (!r.ok) assert.match(r.error.message, new RegExp(`^${name}: refused to read .*: choose it in the (file|folder) dialog first`));
  }
  // A file inside the project (a dropped file lands in received/) needs no pick.
  assert.equal(code(await d.dispatch('importTriplets', { file: join(projectDir, 'received', 't.txt'), split: 'train' }, trusted)), 'ok');

  // Picked in the open dialog: it may be read, and not written over (it was: one set of picks).
  assert.deepEqual(await d.dispatch('pickFile', { title: 'Import triplets' }, trusted), { ok: true, value: yours });
  assert.equal(code(await d.dispatch('importTriplets', { file: yours, split: 'train' }, trusted)), 'ok');
  const over = await d.dispatch('exportTriplets', { file: yours, split: 'train' }, trusted);
  assert.equal(code(over), 'FORBIDDEN');
  if (!over.ok) assert.match(over.error.message, /\(it was picked to read from, not to write to\)/);
  // A folder picked to import images from cannot become a project or an export target either.
  const photos = join(root, 'photos');
  assert.deepEqual(await d.dispatch('pickFolder', { title: 'Import a folder of images' }, trusted), { ok: true, value: photos });
  assert.equal(code(await d.dispatch('importImages', { folder: photos }, trusted)), 'ok');
  assert.equal(code(await d.dispatch('createProject', { dir: photos }, trusted)), 'FORBIDDEN');
  assert.equal(code(await d.dispatch('exportRun', { runId: 1, tfjs: photos }, trusted)), 'FORBIDDEN');
  // Picked to write (a save dialog, a folder for a new project): written, and read as well.
  assert.deepEqual(await d.dispatch('pickFile', { title: 'Export triplets', save: true }, trusted), { ok: true, value: yours });
  assert.equal(code(await d.dispatch('exportTriplets', { file: yours, split: 'train' }, trusted)), 'ok');
  assert.deepEqual(await d.dispatch('pickFolder', { title: 'New project', write: true }, trusted), { ok: true, value: photos });
  assert.equal(code(await d.dispatch('createProject', { dir: photos }, trusted)), 'ok');
  assert.equal(code(await d.dispatch('importImages', { folder: photos }, trusted)), 'ok');
});

test('bytes that are not base64 are refused, not taken as an empty file', async () => {
  for (const [name, args] of [
    ['receiveFile', { name: 't.txt', offset: 0, data: '!!!@@@', done: true }],
    ['receiveFile', { name: 't.txt', offset: 0, data: 'YWJj\n', done: true }],
    ['similar', { query: { kind: 'bytes', base64: 'not base64!' } }],
  ] as const) {
    const r = await browser.dispatch(name, args, socket);
    assert.equal(r.ok ? 'ok' : r.error.code, 'BAD_ARGUMENTS', JSON.stringify(args));
    if (!r.ok) assert.match(r.error.message, /is not base64 text/);
  }
  assert.equal((await browser.dispatch('receiveFile', { name: 't.txt', offset: 0, data: 'YWJj', done: true }, socket)).ok, true);
});
