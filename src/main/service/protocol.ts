// The message protocol between a host (Electron's thin main process, or any Node parent) and the
// service process (StudioService, SQLite, workers). Host-neutral: plain structured-cloneable
// objects that travel the same way over Electron's utilityProcess (parentPort / postMessage) and
// over Node's child_process.fork IPC channel. Requests are validated by the host's dispatcher
// before they are forwarded; the service trusts its parent but still only answers known methods.
import { REQUEST_NAMES, type EventName, type IpcError, type ServiceRequestName } from '../../shared/ipc.js';

/** What the service answers: every request except the native dialogs, plus two host-only calls. */
export type ServiceMethod = ServiceRequestName | 'mediaPath' | 'dispose';

/** Host → service. */
export type HostMessage = { t: 'req'; id: number; method: ServiceMethod; args: unknown };

/** Service → host: a reply (value or coded error) to one request, or a pushed event. */
export type ServiceMessage =
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; error: IpcError }
  | { t: 'evt'; name: EventName; payload: unknown }
  | { t: 'ready'; pid: number };

/** Error code of requests in flight when the service process died, and of requests while it is down. */
export const SERVICE_CRASHED = 'SERVICE_CRASHED' as const;

const METHODS: ReadonlySet<string> = new Set<string>([
  ...REQUEST_NAMES.filter((n) => n !== 'pickFolder' && n !== 'pickFile' && n !== 'listDir'),
  'mediaPath',
  'dispose',
]);

export function isServiceMethod(name: unknown): name is ServiceMethod {
  return typeof name === 'string' && METHODS.has(name);
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

/** Shape check of an inbound host message (the service ignores anything else). */
export function isHostMessage(m: unknown): m is HostMessage {
  return isObject(m) && m.t === 'req' && Number.isSafeInteger(m.id) && isServiceMethod(m.method);
}

/** Shape check of an inbound service message (the host ignores anything else). */
export function isServiceMessage(m: unknown): m is ServiceMessage {
  if (!isObject(m)) return false;
  if (m.t === 'res') return Number.isSafeInteger(m.id) && typeof m.ok === 'boolean';
  if (m.t === 'evt') return typeof m.name === 'string';
  return m.t === 'ready';
}

/** The service side of a channel: Electron's process.parentPort or a forked child's process.send. */
export interface ServicePort {
  send(msg: ServiceMessage): void;
  onMessage(listener: (msg: unknown) => void): void;
}

/** The host side of one running service process. */
export interface ServiceTransport {
  send(msg: HostMessage): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Called once when the process is gone, with a short reason ("exit code 1", "signal SIGKILL"). */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

/** Starts a fresh service process (called again after a crash). */
export type TransportFactory = () => ServiceTransport;
