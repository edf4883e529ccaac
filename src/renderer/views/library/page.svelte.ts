// State of the Library view (one instance per mounted view): the selected image with its triplets,
// whether the last import's report is open, the search debounce, and the folder import command.
// The grid's pages are the shared `library` state (lib/state/library.svelte.ts).
import type { ImageRecord, TripletRecord } from '../../../shared/types.js';
import { call, toApiError } from '../../lib/api.js';
import { formatNumber, plural } from '../../lib/format.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { library, PAGE } from '../../lib/state/library.svelte.js';
import { nav } from '../../lib/state/nav.svelte.js';
import { project } from '../../lib/state/project.svelte.js';
import { triplets } from '../../lib/state/triplets.svelte.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';
import { ImageRemoval } from '../../lib/state/image-removal.svelte.js';

export class LibraryPage {
  selected = $state.raw<{ image: ImageRecord; triplets: TripletRecord[] } | null>(null);
  /** Position of the selected image in the (filtered) grid, for the arrow keys and the viewer. */
  index = $state(-1);
  viewerOpen = $state(false);
  reportOpen = $state(false);
  /** "Show every missing file" is checking the files. */
  checkingFiles = $state(false);
  /** The open "Remove images" dialog's state, or null. */
  removal = $state.raw<ImageRemoval | null>(null);
  /** Images picked with Ctrl+click / Shift+click (beside the one whose details show). */
  marked = $state.raw<ReadonlySet<number>>(new Set());
  /** Where the last click was, for Shift+click ranges. */
  private anchor = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Typing in the search box: one reload once the user pauses. */
  searchChanged(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void attempt(() => library.reload()), 200);
  }

  /** Asks for a folder and imports it; the grid and the counts follow from the `images` change event. */
  async importFolder(): Promise<void> {
    if (project.refusesWrites()) return;
    const folder = await attempt(() => dialogs.folder('Import a folder of images', 'Image folder'));
    if (!folder) return;
    try {
      const r = await library.importFolder(folder);
      if (!r) return; // the user kept the job that was running
      this.reportOpen = r.skipped.length + r.duplicates.length + r.needsEscaping.length + r.flagged > 0;
      toasts.push(
        'success',
        'Import finished',
        `${plural(r.added, 'image')} added, ${formatNumber(r.unchanged)} unchanged, ${formatNumber(r.updated)} changed on disk, ${formatNumber(r.duplicates.length)} identical copies, ${formatNumber(r.skipped.length)} skipped.`,
      );
    } catch (err) {
      // Cancelled is what the user asked for, not a failure; what was imported stays.
      if (toApiError(err).code === 'CANCELLED') toasts.push('info', 'Import cancelled', 'The images imported so far stay in the project; importing the folder again finishes it.');
      else toasts.error(err, 'Import failed');
    }
  }

  async select(img: ImageRecord, index = this.index): Promise<void> {
    this.index = index;
    const r = await attempt(() => call('getImage', { id: img.id }));
    if (r && this.index === index) this.selected = r;
  }

  /** Arrow keys (and the viewer's steps): selects the image `delta` places on, loading its page first. */
  async step(delta: number): Promise<void> {
    if (!library.total) return;
    const next = Math.max(0, Math.min(library.total - 1, (this.index < 0 ? -1 : this.index) + delta));
    if (next === this.index) return;
    this.index = next;
    await library.loadPage(Math.floor(next / PAGE));
    const img = library.at(next);
    if (img) await this.select(img, next);
  }

  close(): void {
    this.selected = null;
    this.viewerOpen = false;
  }

  /**
   * A click in the grid, as in a file manager: plain selects (and forgets the marks), Ctrl/Cmd
   * toggles the image in the marks (the one selected before joins them), Shift marks the range from
   * the last click (the pages between are loaded first).
   */
  async click(img: ImageRecord, index: number, e: Pick<MouseEvent, 'ctrlKey' | 'metaKey' | 'shiftKey'>): Promise<void> {
    if (e.shiftKey && this.anchor >= 0) {
      const [from, to] = [Math.min(this.anchor, index), Math.max(this.anchor, index)];
      for (let p = Math.floor(from / PAGE); p <= Math.floor(to / PAGE); p++) await library.loadPage(p);
      const next = new Set(this.marked);
      for (let i = from; i <= to; i++) {
        const at = library.at(i);
        if (at) next.add(at.id);
      }
      this.marked = next;
      return;
    }
    this.anchor = index;
    if (e.ctrlKey || e.metaKey) {
      const next = new Set(this.marked);
      if (!next.size && this.selected && this.selected.image.id !== img.id) next.add(this.selected.image.id);
      if (next.has(img.id)) next.delete(img.id);
      else next.add(img.id);
      this.marked = next;
      return;
    }
    this.marked = new Set();
    await this.select(img, index);
  }

  clearMarks(): void {
    this.marked = new Set();
    this.anchor = -1;
  }

  /** The Delete key and Edit ▸ Remove Images…: the marked images, else the selected one; else says how to choose. */
  askRemove(): void {
    if (!this.marked.size && !this.selected) {
      toasts.push('info', 'No image chosen', 'Click an image, or mark several (Ctrl+click, Shift+click), then remove them; with a search or folder filter, Remove… beside it removes every image shown.');
    } else if (!this.marked.size && this.selected?.triplets.length) {
      toasts.push('info', 'Triplets use this image', 'Delete or edit those triplets first; labels are never removed with an image.');
    } else this.removeSelected();
  }

  /** The marks' Remove…: asks to remove the marked images, else the selected one. */
  removeSelected(): void {
    if (project.refusesWrites()) return;
    if (this.marked.size) this.removal = new ImageRemoval({ ids: [...this.marked] }, `the ${plural(this.marked.size, 'image')} marked`);
    else this.removeDetail();
  }

  /** The detail panel's Remove from project…: the image it shows, whatever is marked. */
  removeDetail(): void {
    if (this.selected && !project.refusesWrites()) this.removal = new ImageRemoval({ ids: [this.selected.image.id] }, this.selected.image.name);
  }

  /** The dialog closed; after a removal the detail panel of a removed image closes too. */
  removalClosed(removed: boolean): void {
    const ids = this.removal?.selection.ids;
    this.removal = null;
    if (!removed) return;
    if (this.selected && (!ids || ids.includes(this.selected.image.id))) this.close();
    this.clearMarks();
  }

  /** The header's Remove…: every image the filters (name, folder, map selection) show. */
  removeShown(): void {
    if (project.refusesWrites()) return;
    const { search, folderQuery: folder, ids } = library;
    this.removal = new ImageRemoval({ search: search || undefined, folder, ids: ids ?? undefined }, `the ${plural(library.total, 'image')} shown`);
  }

  /** The details panel's "Show every missing file": the grid limited to the images whose file is gone. */
  async showMissing(): Promise<void> {
    if (this.checkingFiles) return;
    this.checkingFiles = true;
    // Every file is checked: a moment on a local disk, longer on a slow drive, so the button says so.
    const ids = await attempt(() => call('missingImages', {}), 'Could not check the files').finally(() => (this.checkingFiles = false));
    if (!ids) return;
    if (!ids.length) return void toasts.push('success', 'No file is missing', 'Every image is where it was imported from again.');
    this.close();
    library.showOnly(ids, { label: 'Missing files' });
  }

  /** "Used in N triplets": the Triplets view, showing only the triplets using this image. */
  showTriplets(): void {
    if (!this.selected) return;
    triplets.showImage({ id: this.selected.image.id, name: this.selected.image.name });
    nav.go('triplets');
  }
}
