// State of the Library view (one instance per mounted view): the selected image with its triplets,
// whether the last import's report is open, the search debounce, and the folder import command.
// The grid's pages are the shared `library` state (lib/state/library.svelte.ts).
import type { ImageRecord, TripletRecord } from '../../../shared/types.js';
import { call } from '../../lib/api.js';
import { formatNumber, plural } from '../../lib/format.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { library } from '../../lib/state/library.svelte.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';

export class LibraryPage {
  selected = $state.raw<{ image: ImageRecord; triplets: TripletRecord[] } | null>(null);
  reportOpen = $state(false);
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Typing in the search box: one reload once the user pauses. */
  searchChanged(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void attempt(() => library.reload()), 200);
  }

  /** Asks for a folder and imports it; the grid and the counts follow from the `images` change event. */
  async importFolder(): Promise<void> {
    const folder = await attempt(() => dialogs.folder('Import a folder of images', 'Image folder'));
    if (!folder) return;
    try {
      const r = await library.importFolder(folder);
      this.reportOpen = r.skipped.length + r.duplicates.length + r.needsEscaping.length + r.flagged > 0;
      toasts.push(
        'success',
        'Import finished',
        `${plural(r.added, 'image')} added, ${formatNumber(r.unchanged)} unchanged, ${formatNumber(r.updated)} changed on disk, ${formatNumber(r.duplicates.length)} identical copies, ${formatNumber(r.skipped.length)} skipped.`,
      );
    } catch (err) {
      toasts.error(err, 'Import failed');
    }
  }

  async select(img: ImageRecord): Promise<void> {
    const r = await attempt(() => call('getImage', { id: img.id }));
    if (r) this.selected = r;
  }
}
