// The service side's channel to its parent: Electron's utilityProcess gives `process.parentPort`
// (MessagePort semantics: messages arrive as `{ data }`), a Node `child_process.fork` child has
// `process.send` / process 'message'. Both carry the same ServiceMessage / HostMessage objects.
import type { ServiceMessage, ServicePort } from './protocol.js';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

/** The parent channel of this process, or null when it was not started as a service process. */
export function parentChannel(): ServicePort | null {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return { send: (msg: ServiceMessage) => parentPort.postMessage(msg), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) };
  }
  if (typeof process.send === 'function') {
    // A parent that went away leaves no one to answer: stop instead of lingering as an orphan.
    process.on('disconnect', () => process.exit(0));
    return { send: (msg: ServiceMessage) => void process.send?.(msg), onMessage: (l) => process.on('message', l) };
  }
  return null;
}
