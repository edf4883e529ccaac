// The triplet list with its filters, the selection, and the edits (each one goes through the
// main side, which records it in the history so it can be undone). The list refreshes on the
// service's `triplets` change events only (refresh.ts), so an edit costs one listTriplets.
import type { Split, TripletEdit, TripletImportReport, TripletRecord } from '../../../shared/types.js';
import { call, toApiError } from '../api.js';
import { Refresher } from './refresh.js';

export const TRIPLET_PAGE = 100;

export interface TripletFilters {
  split: Split | '';
  mispredicted: boolean;
  edited: boolean;
  excluded: boolean;
}

class Triplets {
  filters = $state<TripletFilters>({ split: '', mispredicted: false, edited: false, excluded: false });
  items = $state.raw<TripletRecord[]>([]);
  total = $state(0);
  offset = $state(0);
  selected = $state(0);
  loading = $state(false);
  lastImport = $state.raw<TripletImportReport | null>(null);
  /** Why the list could not be loaded (e.g. disconnected): the view says so instead of "No triplets yet". */
  failed = $state<string | null>(null);
  private gen = 0;
  /** Set by an import: the refresh its change event brings shows the first page. */
  private toFirstPage = false;
  private readonly refresher = new Refresher(['triplets'], () => this.load(this.takeOffset()));

  /** The Triplets view shows the list: load it and follow changes while it is shown. */
  watch(): () => void {
    return this.refresher.watch();
  }

  private takeOffset(): number {
    const first = this.toFirstPage;
    this.toFirstPage = false;
    return first ? 0 : this.offset;
  }

  get current(): TripletRecord | undefined {
    return this.items[this.selected];
  }

  async load(offset = this.offset): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    const f = this.filters;
    try {
      const page = await call('listTriplets', {
        split: f.split || undefined,
        status: f.excluded ? 'excluded' : undefined,
        mispredicted: f.mispredicted || undefined,
        edited: f.edited || undefined,
        offset,
        limit: TRIPLET_PAGE,
      });
      if (gen !== this.gen) return;
      this.failed = null;
      this.items = page.items;
      this.total = page.total;
      this.offset = page.offset;
      this.selected = Math.min(this.selected, Math.max(0, page.items.length - 1));
    } catch (err) {
      if (gen === this.gen) this.failed = toApiError(err).message;
      throw err;
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  /** Moves the selection by `delta`, crossing page boundaries. */
  async step(delta: number): Promise<void> {
    const next = this.selected + delta;
    if (next >= 0 && next < this.items.length) {
      this.selected = next;
    } else if (next >= this.items.length && this.offset + this.items.length < this.total) {
      await this.load(this.offset + TRIPLET_PAGE);
      this.selected = 0;
    } else if (next < 0 && this.offset > 0) {
      await this.load(Math.max(0, this.offset - TRIPLET_PAGE));
      this.selected = this.items.length - 1;
    }
  }

  async edit(id: number, edit: TripletEdit): Promise<TripletRecord | null> {
    return call('editTriplet', { id, edit });
  }

  /** The user has checked a triplet whose image changed on disk: its flag goes. */
  async clearFlag(id: number): Promise<void> {
    await call('clearTripletFlags', { ids: [id] });
  }

  async create(split: Split, anchorId: number, positiveId: number, negativeId: number): Promise<TripletRecord> {
    return call('createTriplet', { split, anchorId, positiveId, negativeId });
  }

  async importFile(file: string, split: Split, skipInvalid: boolean, allowLeakage = false): Promise<TripletImportReport> {
    this.toFirstPage = true;
    try {
      const report = await call('importTriplets', { file, split, skipInvalid, allowLeakage });
      this.lastImport = report;
      return report;
    } catch (err) {
      this.toFirstPage = false; // refused: nothing changed, no refresh comes
      throw err;
    }
  }

  async exportFile(file: string, split: Split): Promise<{ file: string; count: number }> {
    // Browser mode's typed path is the user's pick; confirming it lets the main side write there.
    const target = (await call('pickFile', { title: 'Export triplets', save: true, typed: file })) ?? file;
    return call('exportTriplets', { file: target, split });
  }
}

export const triplets = new Triplets();
