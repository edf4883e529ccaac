// Electron IPC registration: one ipcMain.handle per request channel, every call routed through
// the validating dispatcher with what Electron knows about the sender (frame URL, main frame,
// owning webContents). Nothing else is registered on ipcMain.
import { ipcMain, type BrowserWindow } from 'electron';
import { ipcChannel, REQUEST_NAMES, type RequestName } from '../../shared/ipc.js';
import type { Dispatcher } from '../ipc/dispatch.js';
import { boundedReply } from '../ipc/encode.js';
import type { ErrorLog } from '../util/diagnostics-log.js';
import { senderInfo } from './sender.js';

/** Registers every request channel; `after` runs once a request succeeded (e.g. to refresh menus). */
export function registerIpc(getWindow: () => BrowserWindow | null, dispatcher: Dispatcher, log: ErrorLog, after?: (name: RequestName) => void): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, args: unknown) => {
      const win = getWindow();
      if (!win) return { ok: false, error: { code: 'FORBIDDEN', message: 'No Triplet Studio window.' } };
      const reply = await dispatcher.dispatch(name, args, senderInfo(event, win));
      if (reply.ok) after?.(name);
      return boundedReply(name, reply, undefined, log);
    });
  }
  return () => REQUEST_NAMES.forEach((name) => ipcMain.removeHandler(ipcChannel(name)));
}
