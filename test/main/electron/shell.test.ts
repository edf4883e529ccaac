// The Electron shell's plain parts: the app:// protocol handler, remembered window bounds, the menu.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../src/main/electron/menu.js';
import { createAppProtocolHandler } from '../../../src/main/electron/protocol.js';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../../src/main/electron/window-state.js';

let tmp: string;
let root: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ts-shell-'));
  root = join(tmp, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Triplet Studio</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(tmp, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(tmp, 'thumb.webp'), 'RIFF\x04\0\0\0WEBPVP8 ');
  writeFileSync(join(tmp, 'jpeg.webp'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]));
  writeFileSync(join(tmp, 'text.webp'), '<script>alert(1)</script>');
  symlinkSync(join(tmp, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('app:// handler serves the renderer with CSP and nothing outside it', async () => {
  const media: Record<number, string> = { 5: 'thumb.webp', 7: 'jpeg.webp', 8: 'text.webp' };
  const handle = createAppProtocolHandler({ root, mediaPath: (kind, id) => (kind === 'thumb' && media[id] ? join(tmp, media[id]) : null) });
  const get = (url: string) => handle(new Request(url));
  const index = await get('app://studio/');
  assert.equal(index.status, 200);
  assert.match(await index.text(), /Triplet Studio/);
  assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.match((await get('app://studio/assets/app.js')).headers.get('content-type') ?? '', /^text\/javascript/);
  const thumb = await get('app://studio/media/thumb/5');
  assert.equal(thumb.status, 200);
  assert.equal(await thumb.text(), 'RIFF\x04\0\0\0WEBPVP8 ');
  assert.equal(thumb.headers.get('content-type'), 'image/webp');
  // Media types come from the bytes, not the name: a JPEG named .webp is image/jpeg (text: see below).
  assert.equal((await get('app://studio/media/thumb/7')).headers.get('content-type'), 'image/jpeg');
  for (const url of [
    'app://studio/media/thumb/6',
    'app://studio/media/image/5',
    'app://studio/media/thumb/..%2f..%2fsecret.txt',
    'app://studio/assets/..%2f..%2fsecret.txt',
    'app://studio/..%5csecret.txt',
    'app://studio/assets/link.txt',
    'app://studio/missing.js',
    'app://elsewhere/index.html',
  ]) {
    const r = await get(url);
    assert.equal(r.status, 404, url);
    assert.equal((await r.text()).includes('TOP SECRET'), false, url);
  }
  assert.equal((await handle(new Request('app://studio/', { method: 'POST', body: 'x' }))).status, 405);
});

test('app:// media is served only when it is a regular file holding an image: text, a folder, a FIFO are 404', async () => {
  // What a project store edited to name other files could point at: a secret, a folder, a FIFO.
  const fifo = join(tmp, 'fifo.webp');
  execFileSync('mkfifo', [fifo]);
  const media: Record<number, string> = { 8: join(tmp, 'text.webp'), 9: join(tmp, 'secret.txt'), 10: root, 11: fifo };
  const handle = createAppProtocolHandler({ root, mediaPath: (_kind, id) => media[id] ?? null });
  try {
    for (const id of [8, 9, 10, 11]) {
      const r = await Promise.race([handle(new Request(`app://studio/media/image/${id}`)), new Promise<null>((done) => setTimeout(() => done(null), 3000).unref())]);
      assert.ok(r, `${media[id]}: no answer within 3 s (the read blocked)`);
      assert.equal(r.status, 404, media[id]);
      assert.equal((await r.text()).includes('TOP SECRET'), false);
    }
  } finally {
    // A read left blocked on the FIFO is released by a writer.
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting
    }
    rmSync(fifo, { force: true });
  }
});

test('window state round-trips, survives corruption and drops off-screen positions', () => {
  const file = join(tmp, 'state', 'window-state.json');
  assert.deepEqual(loadWindowState(file), DEFAULT_WINDOW_STATE);
  saveWindowState(file, { x: 100, y: 50, width: 1000, height: 700 }, true);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { x: 100, y: 50, width: 1000, height: 700, maximized: true });
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  assert.deepEqual(loadWindowState(file, screen), { x: 100, y: 50, width: 1000, height: 700, maximized: true });
  saveWindowState(file, { x: 5000, y: 3000, width: 200, height: 100 }, false);
  // Display gone: keep the size (clamped to the minimum), forget the position.
  assert.deepEqual(loadWindowState(file, screen), { width: 800, height: 560, maximized: false });
  writeFileSync(file, '{"width": 12');
  assert.deepEqual(loadWindowState(file, screen), DEFAULT_WINDOW_STATE);
});

test('menu has the File/Edit/View/Help structure and sends commands', () => {
  const sent: string[] = [];
  const opened: string[] = [];
  let logShown = 0;
  const template = buildMenuTemplate(
    { recent: ['/home/u/flowers', '/home/u/birds'], isMac: false, dev: false },
    { command: (c) => sent.push(c), openRecent: (d) => opened.push(d), openExternal: () => {}, about: () => {}, showLog: () => logShown++ },
  );
  assert.deepEqual(template.map((m) => m.label), ['&File', '&Edit', '&View', '&Help']);
  const items = (m: MenuItemConstructorOptions) => m.submenu as MenuItemConstructorOptions[];
  const click = (m: MenuItemConstructorOptions) => (m.click as unknown as () => void)();
  const file = items(template[0]);
  const byLabel = (list: MenuItemConstructorOptions[], label: string) => {
    const found = list.find((i) => i.label === label);
    assert.ok(found, label);
    return found;
  };
  for (const [label, command] of [
    ['New Project…', 'new-project'],
    ['Open Project…', 'open-project'],
    ['Import Images…', 'import-images'],
    ['Import Triplets…', 'import-triplets'],
    ['Export Triplets…', 'export-triplets'],
    ['Export Model…', 'export-run'],
  ]) {
    click(byLabel(file, label));
    assert.equal(sent.at(-1), command);
  }
  const recent = items(byLabel(file, 'Open Recent'));
  assert.equal(recent.length, 2);
  click(recent[1]);
  assert.deepEqual(opened, ['/home/u/birds']);
  assert.ok(file.some((i) => i.role === 'quit'));
  const edit = items(template[1]);
  click(byLabel(edit, 'Undo'));
  click(byLabel(edit, 'Redo'));
  assert.deepEqual(sent.slice(-2), ['undo', 'redo']);
  const remove = byLabel(edit, 'Remove Images…');
  click(remove);
  assert.equal(sent.at(-1), 'remove-images');
  assert.equal(remove.accelerator, undefined, 'Delete stays with text fields; the Library handles its own Delete key');
  assert.deepEqual(edit.filter((i) => i.role).map((i) => i.role), ['cut', 'copy', 'paste', 'selectAll']);
  click(byLabel(items(template[3]), 'Show Diagnostics Log'));
  assert.equal(logShown, 1);
  // No developer tools in packaged builds.
  assert.equal(items(template[2]).some((i) => i.role === 'toggleDevTools'), false);
  const empty = buildMenuTemplate({ recent: [], isMac: true, dev: true }, { command: () => {}, openRecent: () => {}, openExternal: () => {}, about: () => {}, showLog: () => {} });
  assert.equal(empty[0].role, 'appMenu');
  assert.equal(items(byLabel(items(empty[1]), 'Open Recent'))[0].enabled, false);
  assert.ok(items(empty[3]).some((i) => i.role === 'toggleDevTools'));
});
