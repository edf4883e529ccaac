// The service side of the protocol: answers each request by calling the service method of that
// name, converts anything thrown into a coded IpcError, and pushes the service's events to the host.
import { AppError } from '../../shared/errors.js';
import type { EventName, Events } from '../../shared/ipc.js';
import { reportedError, type ErrorLog } from '../util/diagnostics-log.js';
import type { EmitFn, HostedService } from './hosted.js';
import { isHostMessage, type HostMessage, type ServicePort } from './protocol.js';

/** Builds the service with an emitter that forwards its events over `port`. */
export function eventsOver(port: ServicePort): EmitFn {
  return <E extends EventName>(name: E, payload: Events[E]) => port.send({ t: 'evt', name, payload });
}

/**
 * Serves `service` on `port`; `onDisposed` runs after a `dispose` request was answered. A request
 * that fails unexpectedly leaves its stack in `log` (the host only sees the message).
 */
export function serveService(port: ServicePort, service: HostedService, onDisposed: () => void = () => {}, log?: ErrorLog): void {
  port.onMessage((raw) => {
    if (!isHostMessage(raw)) return; // not ours: the host only sends validated requests
    void answer(service, raw, log).then((reply) => {
      port.send(reply);
      if (raw.method === 'dispose') onDisposed();
    });
  });
  port.send({ t: 'ready', pid: process.pid });
}

async function answer(service: HostedService, msg: HostMessage, log: ErrorLog | undefined) {
  try {
    const value = await call(service, msg);
    return { t: 'res' as const, id: msg.id, ok: true as const, value: value === undefined ? null : value };
  } catch (err) {
    return { t: 'res' as const, id: msg.id, ok: false as const, error: reportedError(err, `request ${msg.method}`, log) };
  }
}

function call(service: HostedService, { method, args }: HostMessage): unknown {
  if (method === 'mediaPath') {
    const a = args as { kind: 'thumb' | 'image'; id: number };
    return service.mediaPath(a.kind, a.id);
  }
  if (method === 'dispose') return service.dispose?.();
  const fn = service[method] as ((a: unknown) => unknown) | undefined;
  if (typeof fn !== 'function') throw new AppError('INTERNAL', `The service does not implement "${method}".`);
  return fn.call(service, args);
}
