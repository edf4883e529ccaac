// Preload (sandboxed, context-isolated): exposes `window.tripletStudio`, one method per request
// in REQUESTS plus `on(event, cb)`. The page never sees ipcRenderer itself. A failed request
// rejects with the plain `{ code, message, details }` object (contextBridge drops custom
// properties of Error objects, plain objects cross intact; the renderer wraps it in ApiError).
import { contextBridge, ipcRenderer } from 'electron';
// Runtime values from channels.ts only (types from ipc.ts are erased), so zod stays out of the preload.
import { EVENT_CHANNEL, EVENT_NAMES, ipcChannel, REQUEST_NAMES, type EventName, type RequestName } from '../../shared/channels.js';
import type { Envelope, Events, Replies, RequestArgs, StudioApi } from '../../shared/ipc.js';

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

// One IPC listener for all events; pages subscribe per event name.
ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !(EVENT_NAMES as readonly string[]).includes(name)) return;
  for (const l of listeners.get(name as EventName) ?? []) {
    try {
      l(payload);
    } catch (err) {
      console.error(`Triplet Studio: listener for ${name} failed`, err);
    }
  }
});

async function invoke(name: RequestName, args: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(ipcChannel(name), args ?? {})) as Envelope<unknown>;
  if (reply.ok) return reply.value;
  throw { code: reply.error.code, message: reply.error.message, details: reply.error.details };
}

function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  if (!(EVENT_NAMES as readonly string[]).includes(event) || typeof listener !== 'function') {
    throw new Error(`Unknown event "${String(event)}".`);
  }
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  const l = listener as Listener;
  set.add(l);
  return () => {
    set.delete(l);
  };
}

type Methods = { [K in RequestName]: (args: RequestArgs<K>) => Promise<Replies[K]> };
// Object.fromEntries loses the per-key types; the mapped type restores them, and `satisfies`
// checks the whole object (methods, `on`, `mode`) against the renderer's StudioApi.
const methods = Object.fromEntries(REQUEST_NAMES.map((name) => [name, (args: unknown) => invoke(name, args)])) as Methods;

const api = { ...methods, on, mode: 'electron' as const } satisfies StudioApi;

contextBridge.exposeInMainWorld('tripletStudio', api);
