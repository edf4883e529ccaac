// Undo/redo of triplet edits and image removals. The history lives on the main side (so it survives restarts);
// this only calls it and tells the user what changed; the lists refresh on the change event.
import type { HistoryEntry } from '../../../shared/types.js';
import { call } from '../api.js';
import { plural } from '../format.js';
import { project } from './project.svelte.js';
import { review } from './review.svelte.js';
import { status } from './status.svelte.js';
import { toasts } from './toasts.svelte.js';

export function describe(entry: HistoryEntry): string {
  if (entry.tripletId !== null) return `${entry.action} on triplet #${entry.tripletId}`;
  if (entry.images) return `removal of ${plural(entry.images, 'image')}${entry.note ? ` (${entry.note.replace(/^[^:]*: /, '')})` : ''}`;
  return `${entry.action}${entry.count ? ` of ${entry.count} triplets` : ''}`;
}

type Applied = (entry: HistoryEntry, undone: boolean) => void;

class Undo {
  busy = $state(false);
  private appliedListeners = new Set<Applied>();

  /** Tells a view (e.g. Suggest) which step was undone or redone; returns the unsubscribe. */
  onApplied(l: Applied): () => void {
    this.appliedListeners.add(l);
    return () => this.appliedListeners.delete(l);
  }

  /** Ctrl+Z in a view that shows no triplet edits: say where it works instead of acting unseen. */
  elsewhere(): void {
    if (project.info) toasts.push('info', 'Undo works in Library, Triplets and Review, and in Map, Suggest and Audit', 'Open one of them to undo or redo edits.');
  }

  /** Presses not yet sent: each Ctrl+Z is one step, even when pressed while the last one is on its way. */
  private queued: Array<'undo' | 'redo'> = [];

  /** One step back or forward; presses made while one is in flight follow it in order (none is dropped). */
  async run(which: 'undo' | 'redo'): Promise<void> {
    if (!project.info || project.refusesWrites()) return;
    this.queued.push(which);
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queued.shift(); next; next = this.queued.shift()) await this.step(next);
    } finally {
      this.busy = false;
    }
  }

  private async step(which: 'undo' | 'redo'): Promise<void> {
    try {
      const entry = await call(which, {});
      if (!entry) {
        toasts.push('info', which === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
        return;
      }
      toasts.push('success', which === 'undo' ? 'Undone' : 'Redone', describe(entry));
      // The status line of Triplets and Review said what the last key did: it must not go on saying it.
      status.say(`${which === 'undo' ? 'Undone' : 'Redone'}: ${describe(entry)}`, 'info');
      review.afterUndoRedo(entry, which === 'undo');
      for (const l of this.appliedListeners) l(entry, which === 'undo');
    } catch (err) {
      this.queued = []; // the steps after a failed one would act on a history the user has not seen
      toasts.error(err);
    }
  }
}

export const undo = new Undo();
