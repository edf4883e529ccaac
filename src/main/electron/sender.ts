// What Electron knows about an IPC sender, reduced to the dispatcher's SenderInfo. Type-only
// Electron imports, so it is unit-tested under Node with stand-in objects.
import type { IpcMainInvokeEvent } from 'electron';
import type { SenderInfo } from '../ipc/dispatch.js';

type FrameLike = { url: string; parent: unknown; processId: number; routingId: number } | null;
export type EventLike = { senderFrame: FrameLike; sender: { id: number } } | Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;
export type WindowLike = { isDestroyed(): boolean; webContents: { id: number; mainFrame: NonNullable<FrameLike> } };

export function senderInfo(event: EventLike, win: WindowLike): SenderInfo {
  const frame = event.senderFrame;
  const alive = !win.isDestroyed();
  const main = alive ? win.webContents.mainFrame : null;
  // Compare frame identities by (process, routing id): WebFrameMain wrappers need not be the same object.
  const isMainFrame = frame !== null && main !== null && frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
  return {
    transport: 'electron',
    frameUrl: frame ? frame.url : null,
    isMainFrame,
    fromOurWindow: alive && event.sender.id === win.webContents.id,
  };
}

