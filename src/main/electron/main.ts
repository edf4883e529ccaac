// Electron main process: one hardened window showing the renderer from app://studio/.
//
// A thin shell: windows, menus, the app:// protocol, native dialogs, sender checks and path grants.
// StudioService, SQLite and the ML workers run in a separate service process (Electron
// utilityProcess, src/main/service/main.ts → service.cjs); validated requests are forwarded to it
// and its events flow back (src/main/service/protocol.ts). A crashed service is restarted and the
// renderer told (service:crashed). This process holds no SQLite handle and loads no tfjs
// (test/main/electron/main-graph.test.ts checks the import graph).
//
// Security (Electron checklist): contextIsolation + sandbox + no nodeIntegration, a custom
// privileged protocol instead of file://, CSP on every response, navigation and new windows
// denied, permissions denied, IPC only through the validating dispatcher (see ./ipc.ts).
import { app, BrowserWindow, dialog, Menu, protocol, screen, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { knownError } from '../../shared/errors.js';
import { EVENT_CHANNEL, type EventName, type Events, type RequestName } from '../../shared/ipc.js';
import { createDispatcher } from '../ipc/dispatch.js';
import { ServiceClient } from '../service/client.js';
import type { HostedService } from '../service/hosted.js';
import { DiagnosticsLog, logCrashes } from '../util/diagnostics-log.js';
import { appDataDir } from '../util/paths.js';
import { registerIpc } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { mayQuit } from './quit.js';
import { APP_SCHEME, APP_URL, isAllowedExternal, isAllowedNavigation } from '../host-policy/urls.js';
import { createAppProtocolHandler } from './protocol.js';
import { utilityTransport } from './service-process.js';
import { loadWindowState, saveWindowState } from './window-state.js';
import { makeDirs } from '../util/make-dirs.js';

// The bundle sits in dist/electron/; the renderer build in dist/renderer/.
const RENDERER_DIR = join(__dirname, '..', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
const SERVICE_ENTRY = join(__dirname, 'service.cjs');

// better-sqlite3 built for Electron's ABI: `npm start` passes it in the environment; a packaged app
// ships it under resources/native/ (scripts/electron-sqlite.mjs, electron-builder.yml).
if (app.isPackaged && !process.env.TRIPLET_STUDIO_SQLITE_BINDING) {
  const nativeDir = join(process.resourcesPath, 'native', `electron-${process.versions.electron}`);
  process.env.TRIPLET_STUDIO_SQLITE_BINDING = join(nativeDir, 'better_sqlite3.node');
}

// Must run before `ready`: app:// behaves like https (own origin, secure context, fetch).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

// This process's crashes, the service process's exits and a renderer that died go to the
// diagnostics log (<data>/logs/), which Help › Show Diagnostics Log opens.
const log = new DiagnosticsLog(appDataDir(), 'electron');
logCrashes(log);

let win: BrowserWindow | null = null;
/** The user agreed that quitting stops the running jobs (or none ran): not asked again. */
let stopAgreed = false;
let service: HostedService | null = null;
let client: ServiceClient | null = null;

function emit<E extends EventName>(event: E, payload: Events[E]): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
  // The recent-projects submenu only changes when another project is opened or created.
  if (event === 'project:changed' && (payload as Events['project:changed']).what === 'project') void refreshMenu();
}

async function refreshMenu(): Promise<void> {
  let recent: string[] = [];
  try {
    recent = (await service?.recentProjects({})) ?? [];
  } catch {
    // The menu still works without the recent list.
  }
  const template = buildMenuTemplate(
    { recent, isMac: process.platform === 'darwin', dev: !app.isPackaged },
    {
      command: (command) => emit('menu:command', { command }),
      openRecent,
      openExternal: (url) => void openExternal(url),
      about: () => void showAbout(),
      showLog: () => showLog(),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Shows the diagnostics log in the file manager (its folder when nothing was logged yet). */
function showLog(): void {
  if (existsSync(log.file)) shell.showItemInFolder(log.file);
  else {
    makeDirs(dirname(log.file));
    void shell.openPath(dirname(log.file));
  }
}

/**
 * File › Open Recent: the window opens it, as its own Open does, so a running job is asked about
 * (the service refuses BUSY) instead of an error box. Without a window (macOS), one is made first.
 */
function openRecent(dir: string): void {
  const send = () => emit('menu:command', { command: 'open-recent', dir });
  if (win && !win.isDestroyed()) return send();
  win = createWindow();
  win.webContents.once('did-finish-load', send);
}

/** Asks before quitting stops a running job (quit.ts); one question at a time. */
let asking: Promise<boolean> | null = null;
function mayStopJobs(): Promise<boolean> {
  asking ??= mayQuit({
    activeJobs: () => service?.activeJobs({}),
    ask: async (q) => {
      const opts: Electron.MessageBoxOptions = { type: 'question', buttons: [q.cancel, q.confirm], defaultId: 0, cancelId: 0, message: q.title, detail: q.text, noLink: true };
      const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
      return r.response === 1;
    },
  }).finally(() => (asking = null));
  return asking;
}

async function openExternal(url: string): Promise<void> {
  if (isAllowedExternal(url)) await shell.openExternal(url);
}

async function showAbout(): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: 'About Triplet Studio',
    message: `Triplet Studio ${app.getVersion()}`,
    detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\nData: ${appDataDir()}`,
  });
}

/** `typed`: a path the page typed or proposes, shown for the user to confirm (only this dialog grants it). */
async function pickFolder(args: { title?: string; typed?: string; write?: boolean }): Promise<string | null> {
  // The page names the dialog; what a pick allows is said by the main side, which the page cannot change.
  const opts: Electron.OpenDialogOptions = {
    title: args.title ?? 'Choose a folder',
    buttonLabel: args.write ? 'Choose — Triplet Studio will write into it' : 'Choose — Triplet Studio will only read it',
    properties: ['openDirectory', 'createDirectory'],
    defaultPath: args.typed,
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

async function pickFile(args: { title?: string; save?: boolean; typed?: string }): Promise<string | null> {
  const filters = [
    { name: 'Triplet files', extensions: ['txt', 'tsv', 'csv'] },
    { name: 'All files', extensions: ['*'] },
  ];
  if (args.save) {
    const opts: Electron.SaveDialogOptions = { title: args.title ?? 'Save as', filters, defaultPath: args.typed };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled ? null : (r.filePath ?? null);
  }
  const opts: Electron.OpenDialogOptions = { title: args.title ?? 'Choose a file', properties: ['openFile'], filters, defaultPath: args.typed };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** Denies everything the page could ask the browser for: camera, notifications, new windows, navigation. */
function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      void openExternal(event.url);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
});

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const w = new BrowserWindow({
    ...state,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Triplet Studio',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('close', (event) => {
    try {
      saveWindowState(stateFile, w.getNormalBounds(), w.isMaximized());
    } catch {
      // Not remembering the size is no reason to block closing.
    }
    // Closing the last window quits (except on macOS, where jobs go on): ask about running jobs first.
    if (stopAgreed || process.platform === 'darwin') return;
    event.preventDefault();
    void mayStopJobs().then((yes) => {
      if (!yes) return;
      stopAgreed = true;
      w.close();
    });
  });
  w.on('closed', () => {
    if (win === w) win = null;
  });
  void w.loadURL(APP_URL);
  return w;
}

/** Set once start-up opened the first window: a second start before that must not open another. */
let windowOpened = false;

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    } else if (windowOpened) win = createWindow(); // macOS: the app ran on with its window closed (not: still starting)
  });
  await app.whenReady();
  hardenSession();
  // The service process inherits the environment (SQLite binding, backbones folder) plus its data folder.
  const env = { ...process.env, TRIPLET_STUDIO_SERVICE_DATA: appDataDir() };
  client = new ServiceClient(utilityTransport(SERVICE_ENTRY, env), {
    emit,
    log: (line) => {
      console.error(line);
      log.info(line);
    },
  });
  app.on('render-process-gone', (_e, _contents, details) => log.info(`The window's renderer stopped (${details.reason}, exit code ${details.exitCode}).`));
  log.info(`started (Electron ${process.versions.electron}, ${process.platform} ${process.arch}${app.isPackaged ? '' : ', from the sources'})`);
  service = client.api;
  const handler = createAppProtocolHandler({ root: RENDERER_DIR, mediaPath: (kind, id) => service!.mediaPath(kind, id) });
  protocol.handle(APP_SCHEME, (request) => handler(request));

  const dispatcher = createDispatcher(service, { pickFolder, pickFile });
  const projectRequests = new Set<RequestName>(['createProject', 'openProject', 'closeProject']);
  registerIpc(() => win, dispatcher, log, (name) => {
    if (projectRequests.has(name)) void refreshMenu();
  });
  await refreshMenu();
  win = createWindow();
  windowOpened = true;

  app.on('activate', () => {
    if (!win) win = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Asks about running jobs, then lets them stop and the store close before exiting (bounded, so
  // quitting never hangs).
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed || !client) return;
    event.preventDefault();
    void (stopAgreed ? Promise.resolve(true) : mayStopJobs()).then((yes) => {
      if (!yes || disposed) return;
      stopAgreed = disposed = true;
      void client!.dispose(5000).finally(() => app.quit());
    });
  });
}

main().catch((err: unknown) => {
  log.error('start', err);
  // A full disk or a folder it may not write is said in words; anything else is a bug: its stack.
  const known = knownError(err);
  dialog.showErrorBox('Triplet Studio could not start', known ? known.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
