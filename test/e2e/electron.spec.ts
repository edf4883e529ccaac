// Launches the real desktop app with Playwright's Electron driver and checks the hardening.
// Skips (with the reason) where the Electron binary is not installed, as on the build machine.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudioApi } from '../../src/shared/ipc.js';
import { buildElectron } from '../../scripts/build-electron.mjs';
import { ensureRenderer } from '../../scripts/serve.mjs';
import { electronBinary } from '../../scripts/start.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = electronBinary();

test.describe('Electron shell', () => {
  test.skip(!bin.path, `Electron binary not installed (${bin.reason})`);
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let win: Page;
  let data: string;

  test.beforeAll(async () => {
    ensureRenderer();
    await buildElectron({ log: () => {} });
    data = mkdtempSync(join(tmpdir(), 'ts-electron-'));
    app = await electron.launch({
      executablePath: bin.path!,
      args: [repoRoot],
      env: { ...process.env, TRIPLET_STUDIO_DATA: data, ELECTRON_ENABLE_LOGGING: '1' },
    });
    win = await app.firstWindow();
    await win.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (data) rmSync(data, { recursive: true, force: true });
  });

  test('opens one window on app://studio/ with the preload API', async () => {
    expect(win.url()).toMatch(/^app:\/\/studio\//);
    expect(app.windows()).toHaveLength(1);
    const recent = await win.evaluate(() => (window as unknown as { tripletStudio: StudioApi }).tripletStudio.recentProjects({}));
    expect(Array.isArray(recent)).toBe(true);
    expect(await win.evaluate(() => (window as unknown as { tripletStudio: StudioApi }).tripletStudio.mode)).toBe('electron');
    // Bad arguments come back as a readable rejection, not a crash.
    const err = await win.evaluate(() =>
      (window as unknown as { tripletStudio: StudioApi }).tripletStudio.importTriplets({ file: 'x.txt', split: 'val' as 'train' }).then(
        () => null,
        (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
      ),
    );
    expect(err?.code).toBe('BAD_ARGUMENTS');
    expect(err?.message).toContain("split: expected 'train' or 'test'");
  });

  test('runs with contextIsolation and sandbox, without Node in the page', async () => {
    // getLastWebPreferences is Electron's internal record of the preferences in force (untyped).
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null };
      const p = wc.getLastWebPreferences();
      return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration, webSecurity: p?.webSecurity };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    const globals = await win.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipc: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipc: 'undefined' });
    // contextBridge refuses to expose anything without context isolation, so the API proves it too.
    expect(await win.evaluate(() => typeof (window as unknown as { tripletStudio?: unknown }).tripletStudio)).toBe('object');
  });

  test('denies navigation to https://example.com', async () => {
    const before = win.url();
    await win.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await win.waitForTimeout(1000);
    expect(win.url()).toBe(before);
  });

  test('denies window.open', async () => {
    const opened = await win.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    await win.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
  });
});
