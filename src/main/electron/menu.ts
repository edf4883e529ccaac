// The native menu as data: built from plain callbacks so its structure is unit-tested without
// Electron. Commands the renderer carries out are sent as `menu:command` events, "Open Recent" too
// (with its folder), so the window asks before a running job is stopped, as its own Open does.
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc.js';

export interface MenuActions {
  command(command: MenuCommand): void;
  openRecent(dir: string): void;
  openExternal(url: string): void;
  about(): void;
  /** Shows the diagnostics log in the file manager. */
  showLog(): void;
}

export interface MenuContext {
  recent: string[];
  isMac: boolean;
  /** Developer tools and reload only in unpackaged (development) builds. */
  dev: boolean;
}

export const LEARN_MORE_URL = 'https://github.com/keras-team/keras-io/blob/master/examples/vision/siamese_network.py';

export function buildMenuTemplate(ctx: MenuContext, act: MenuActions): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => act.command(command);
  const recent: MenuItemConstructorOptions[] = ctx.recent.length
    ? ctx.recent.slice(0, 10).map((dir) => ({ label: `${basename(dir)} — ${dir}`, click: () => act.openRecent(dir) }))
    : [{ label: 'No recent projects', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: send('new-project') },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: send('open-project') },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Import Images…', accelerator: 'CmdOrCtrl+I', click: send('import-images') },
      { label: 'Import Triplets…', accelerator: 'CmdOrCtrl+Shift+I', click: send('import-triplets') },
      { label: 'Export Triplets…', accelerator: 'CmdOrCtrl+E', click: send('export-triplets') },
      { label: 'Export Model…', accelerator: 'CmdOrCtrl+Shift+E', click: send('export-run') },
      { type: 'separator' },
      ctx.isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // Triplet-level undo/redo lives in the project history; the renderer decides (text fields keep their own).
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
      { label: 'Redo', accelerator: ctx.isMac ? 'Cmd+Shift+Z' : 'CmdOrCtrl+Y', click: send('redo') },
      { type: 'separator' },
      // No accelerator: Delete belongs to text fields; the Library's own Delete key does the same.
      { label: 'Remove Images…', click: send('remove-images') },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(ctx.dev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Triplet Loss Example (Keras)', click: () => act.openExternal(LEARN_MORE_URL) },
      { label: 'Show Diagnostics Log', click: () => act.showLog() },
      { type: 'separator' },
      { label: 'About Triplet Studio', click: () => act.about() },
    ],
  };
  const app: MenuItemConstructorOptions[] = ctx.isMac ? [{ role: 'appMenu' }] : [];
  return [...app, file, edit, view, help];
}
