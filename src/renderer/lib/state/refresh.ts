// Lists follow the service's change events, and only them: a caller never refetches after its own
// edit. Each list owns one Refresher that listens to `project:changed` for its scopes while a view
// shows it, and turns a burst of events into one fetch (coalesced by a short timer, never two at once).
import type { Events } from '../../../shared/ipc.js';
import { api } from '../api.js';
import { toasts } from './toasts.svelte.js';

export type ChangeScope = Events['project:changed']['what'];

/** Time to gather the events of one edit (an undo of an import, a CLI batch) into one fetch. */
const COALESCE_MS = 40;

export class Refresher {
  private watchers = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;

  /** `scopes`: the change kinds that make this list stale ('project', another project opened, always does). */
  constructor(
    private readonly scopes: readonly ChangeScope[],
    private readonly fetch: () => Promise<void>,
  ) {
    api.on('project:changed', ({ what }) => {
      if (this.watchers > 0 && (what === 'project' || this.scopes.includes(what))) this.schedule();
    });
  }

  /** A view shows the list: fetch it now (unless `load` is false) and keep it fresh until the returned function is called. */
  watch(load = true): () => void {
    this.watchers++;
    if (load) this.schedule(0);
    return () => {
      this.watchers--;
    };
  }

  /** The list went stale without an event (another project is shown): fetched again if a view shows it. */
  invalidate(): void {
    if (this.watchers > 0) this.schedule(0);
  }

  /** Asks for one fetch soon; requests made before it starts share it. */
  schedule(delay = COALESCE_MS): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    // A change during a fetch may not be in its answer: fetch once more after it.
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.fetch().catch((err) => toasts.error(err));
    await this.inFlight;
    this.inFlight = null;
    if (this.again) {
      this.again = false;
      this.schedule(0);
    }
  }
}
