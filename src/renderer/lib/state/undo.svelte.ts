// Undo/redo of triplet edits and image removals. The history lives on the main side (so it survives restarts);
// this only calls it and tells the user what changed; the lists refresh on the change event.
import type { HistoryEntry } from '../../../shared/types.js';
import { ApiError, call } from '../api.js';
import { dialogs } from './dialogs.svelte.js';
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

  /**
   * Undo asks first when the step was made from the command line, redo when the command line undid it
   * (the service refuses it until told yes): the user may never have seen that change. Null when
   * nothing is left to undo or redo; 'kept' when the user kept the project as it is.
   */
  private async send(which: 'undo' | 'redo'): Promise<HistoryEntry | null | 'kept'> {
    let confirmed: number | undefined;
    // Each answer names its step: a newer step from the command line meanwhile is asked about in turn, not undone unseen.
    for (;;) {
      try {
        return await call(which, confirmed !== undefined ? { confirmed } : {});
      } catch (err) {
        const details = err instanceof ApiError && err.code === 'CONFLICT' ? (err.details as { madeElsewhere?: HistoryEntry; undoneElsewhere?: HistoryEntry } | undefined) : undefined;
        const step = which === 'undo' ? details?.madeElsewhere : details?.undoneElsewhere;
        if (!step) throw err;
        this.queued = []; // the presses after it were meant for the steps the user knew of
        const yes = await dialogs.ask(
          which === 'undo'
            ? {
                title: 'Undo a change made from the command line?',
                text: `The last change to this project was made from the command line, not in this window: ${describe(step)} (${new Date(step.at).toLocaleString()}). Undo it?`,
                confirm: 'Undo it',
                cancel: 'Keep it',
              }
            : {
                title: 'Redo a step undone from the command line?',
                text: `The last undo in this project was made from the command line, not in this window: ${describe(step)}. Redo it?`,
                confirm: 'Redo it',
                cancel: 'Leave it undone',
              },
        );
        if (!yes) return 'kept';
        confirmed = step.id;
      }
    }
  }

  private async step(which: 'undo' | 'redo'): Promise<void> {
    try {
      const entry = await this.send(which);
      if (entry === 'kept') {
        status.say(`Kept: nothing was ${which === 'undo' ? 'undone' : 'redone'}.`, 'info');
        return;
      }
      if (!entry) {
        toasts.push('info', which === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
        return;
      }
      // The status line of Triplets and Review said what the last key did: it must not go on saying it.
      // Where one shows, the toast is not announced too (a screen reader read the undo twice).
      toasts.push('success', which === 'undo' ? 'Undone' : 'Redone', describe(entry), undefined, status.shown > 0);
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
