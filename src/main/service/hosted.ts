// What a host (browser-mode server, Electron main) needs from the service: the request methods,
// the media resolver for /media/... and an optional shutdown hook.
import type { EventName, Events, StudioServiceApi } from '../../shared/ipc.js';

export type EmitFn = <E extends EventName>(event: E, payload: Events[E]) => void;

export type HostedService = StudioServiceApi & {
  /** Absolute file behind /media/<kind>/<id>, or null when unknown (or no project is open). */
  mediaPath(kind: 'thumb' | 'image', id: number): string | null | Promise<string | null>;
  /** Releases the project store and workers when the host shuts down. */
  dispose?(): void | Promise<void>;
};
