// The triplet list with its filters, the selection, and the edits (each one goes through the
// main side, which records it in the history so it can be undone).
import type { Split, TripletEdit, TripletImportReport, TripletRecord } from '../../../shared/types.js';
import { call } from '../api.js';
import { project } from './project.svelte.js';

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
  private gen = 0;

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
      this.items = page.items;
      this.total = page.total;
      this.offset = page.offset;
      this.selected = Math.min(this.selected, Math.max(0, page.items.length - 1));
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
    const rec = await call('editTriplet', { id, edit });
    await this.load();
    void project.refresh();
    return rec;
  }

  /** The user has checked a triplet whose image changed on disk: its flag goes. */
  async clearFlag(id: number): Promise<void> {
    await call('clearTripletFlags', { ids: [id] });
    await this.load();
  }

  async create(split: Split, anchorId: number, positiveId: number, negativeId: number): Promise<TripletRecord> {
    const rec = await call('createTriplet', { split, anchorId, positiveId, negativeId });
    await this.load();
    void project.refresh();
    return rec;
  }

  async importFile(file: string, split: Split, skipInvalid: boolean, allowLeakage = false): Promise<TripletImportReport> {
    const report = await call('importTriplets', { file, split, skipInvalid, allowLeakage });
    this.lastImport = report;
    await this.load(0);
    void project.refresh();
    return report;
  }

  async exportFile(file: string, split: Split): Promise<{ file: string; count: number }> {
    // Browser mode's typed path is the user's pick; confirming it lets the main side write there.
    const target = (await call('pickFile', { title: 'Export triplets', save: true, typed: file })) ?? file;
    return call('exportTriplets', { file: target, split });
  }
}

export const triplets = new Triplets();
