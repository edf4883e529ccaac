// Removing images (Library, Map, the Audit's duplicates): what would go is asked of the main side
// first (a dry run: which images triplets keep), the dialog shows it, and only Remove writes. One undoable step: the toast
// says Ctrl+Z brings them back. Views reload on the service's `images` change event.
import type { ImageRemovalReport, ImageSelection } from '../../../shared/types.js';
import { call, toApiError } from '../api.js';
import { plural } from '../format.js';
import { toasts } from './toasts.svelte.js';

export class ImageRemoval {
  preview = $state.raw<ImageRemovalReport | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  /** `what`: what the dialog is about, "c/t1.jpg" or "the 57 images shown". */
  constructor(
    readonly selection: ImageSelection,
    readonly what: string,
  ) {}

  /** The dry run: what Remove would do. */
  async load(): Promise<void> {
    try {
      this.preview = await call('removeImages', { selection: this.selection, dryRun: true });
    } catch (err) {
      this.error = toApiError(err).message;
    }
  }

  /** Removes them; true when the dialog may close. */
  async confirm(): Promise<boolean> {
    if (this.busy || !this.preview?.removed) return false;
    this.busy = true;
    try {
      const r = await call('removeImages', { selection: this.selection });
      const kept = r.keptCount ? ` ${plural(r.keptCount, 'image')} kept: triplets use them.` : '';
      toasts.push('success', `Removed ${plural(r.removed, 'image')}`, `The files on disk are untouched.${kept} Ctrl+Z brings them back.`, 8000);
      return true;
    } catch (err) {
      this.error = toApiError(err).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
