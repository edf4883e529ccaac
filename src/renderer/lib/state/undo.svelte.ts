// Undo/redo of triplet edits. The history lives on the main side (so it survives restarts);
// this only calls it and tells the user what changed; the lists refresh on the change event.
import type { HistoryEntry } from '../../../shared/types.js';
import { call } from '../api.js';
import { project } from './project.svelte.js';
import { review } from './review.svelte.js';
import { toasts } from './toasts.svelte.js';

export function describe(entry: HistoryEntry): string {
  if (entry.tripletId !== null) return `${entry.action} on triplet #${entry.tripletId}`;
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
    if (project.info) toasts.push('info', 'Undo works in Triplets and Review, and in Suggest and Audit', 'Open one of them to undo or redo triplet edits.');
  }

  async run(which: 'undo' | 'redo'): Promise<void> {
    if (this.busy || !project.info) return;
    this.busy = true;
    try {
      const entry = await call(which, {});
      if (!entry) {
        toasts.push('info', which === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
        return;
      }
      toasts.push('success', which === 'undo' ? 'Undone' : 'Redone', describe(entry));
      review.afterUndoRedo(entry, which === 'undo');
      for (const l of this.appliedListeners) l(entry, which === 'undo');
    } catch (err) {
      toasts.error(err);
    } finally {
      this.busy = false;
    }
  }
}

export const undo = new Undo();
