// The triplet list with its filters, the selection, and the edits (each one goes through the
// main side, which records it in the history so it can be undone). Rows are fetched in pages as
// the virtual list shows them (like the library), so 100,000 triplets cost a few requests. The
// list refreshes on the service's `triplets` change events only (refresh.ts).
import type { Split, TripletEdit, TripletImportReport, TripletPage, TripletRecord } from '../../../shared/types.js';
import { ApiError, call, toApiError } from '../api.js';
import { project } from './project.svelte.js';
import { Refresher } from './refresh.js';

export const TRIPLET_PAGE = 200;

export interface TripletFilters {
  split: Split | '';
  mispredicted: boolean;
  edited: boolean;
  excluded: boolean;
  /** Only triplets using this image (from the Library's "Used in N triplets"). */
  image: { id: number; name: string } | null;
}

class Triplets {
  filters = $state<TripletFilters>({ split: '', mispredicted: false, edited: false, excluded: false, image: null });
  /** Loaded pages by page index; replaced (not mutated) so readers update. */
  pages = $state.raw<Map<number, TripletRecord[]>>(new Map());
  total = $state(0);
  /** Index of the selected row in the whole filtered list. */
  selected = $state(0);
  loading = $state(false);
  loaded = $state(false);
  lastImport = $state.raw<TripletImportReport | null>(null);
  /** Why the list could not be loaded (e.g. disconnected): the view says so instead of "No triplets yet". */
  failed = $state<string | null>(null);
  private inFlight = new Map<number, Promise<void>>();
  private range: [number, number] = [0, 1];
  /** Generation of the current query; answers to an older query are dropped. */
  private gen = 0;
  /** Set by a new filter until its first rows are in. */
  private startingOver = false;
  /** Set by an import: the refresh its change event brings shows the top of the list. */
  private toTop = false;
  private readonly refresher = new Refresher(['triplets'], () => this.refresh());

  constructor() {
    project.onSwitch(() => this.forget());
  }

  /** Another project: the last one's filters (an image filter names one of its images), selection and rows go. */
  private forget(): void {
    this.gen++;
    this.inFlight.clear();
    this.filters = { split: '', mispredicted: false, edited: false, excluded: false, image: null };
    this.pages = new Map();
    this.total = 0;
    this.selected = 0;
    this.range = [0, 1];
    this.loaded = false;
    this.failed = null;
    this.lastImport = null;
    this.startingOver = false;
    this.toTop = false;
    this.refresher.invalidate();
  }

  /** The Triplets view shows the list: load it and follow changes while it is shown. */
  watch(): () => void {
    return this.refresher.watch();
  }

  get current(): TripletRecord | undefined {
    return this.at(this.selected);
  }

  at(i: number): TripletRecord | undefined {
    return this.pages.get(Math.floor(i / TRIPLET_PAGE))?.[i % TRIPLET_PAGE];
  }

  /** A new filter: start over at the top. */
  async reload(): Promise<void> {
    this.selected = 0;
    this.range = [0, 1];
    // Until the new filter's rows are in, the rows shown are the old filter's: none is followed.
    this.startingOver = true;
    await this.refresh(false);
  }

  /**
   * Fetches again the pages in view and the selection's (after a change event). The selection stays
   * on its triplet where that triplet moved in the list (a move to the other split re-sorts it, so
   * the next key acts on the triplet the user was on); one the filters now leave out (or deleted)
   * leaves the selection at its row, i.e. on the next triplet. `followSelection` false: a new filter
   * starts at the top.
   */
  async refresh(followSelection = true): Promise<void> {
    const follow = followSelection && !this.toTop && !this.startingOver && this.loaded ? this.current?.id : undefined;
    if (this.toTop) (this.toTop = false, (this.selected = 0), (this.range = [0, 1]));
    // A key that moves the selection while this loads wins over following the triplet.
    const selectedAtStart = this.selected;
    this.gen++;
    this.inFlight.clear();
    const selPage = Math.floor(this.selected / TRIPLET_PAGE);
    const keep = new Set([...this.pageSpan(...this.range), selPage]);
    const gen = this.gen;
    this.loading = true;
    try {
      const fresh = new Map<number, TripletRecord[]>();
      let found: number | null | undefined;
      // Registered as in flight, so the list asking for the same rows meanwhile does not fetch them twice.
      const jobs = [...keep].map((p) => {
        const job =
          p === selPage && follow !== undefined
            ? this.fetchPage(p, gen, follow).then((r) => void ((found = r.found), fresh.set(r.offset / TRIPLET_PAGE, r.items)))
            : this.fetchPage(p, gen).then((r) => void fresh.set(p, r.items));
        this.inFlight.set(p, job);
        return job;
      });
      await Promise.all(jobs);
      if (gen !== this.gen) return;
      this.failed = null;
      this.inFlight.clear();
      this.pages = fresh;
      const follows = typeof found === 'number' && this.selected === selectedAtStart;
      this.selected = follows ? (found as number) : Math.min(this.selected, Math.max(0, this.total - 1));
      this.loaded = true;
      this.startingOver = false;
      // The followed triplet's page may stand in for the one the selection was on: rows in view are fetched.
      this.loadRange();
    } catch (err) {
      if (gen === this.gen) this.failed = toApiError(err).message;
      throw err;
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  private pageSpan(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = Math.floor(start / TRIPLET_PAGE); p <= Math.floor(Math.max(start, end - 1) / TRIPLET_PAGE); p++) out.push(p);
    return out;
  }

  /** One page of the list; `find`: the page holding that triplet instead, with its place (`found`). */
  private async fetchPage(index: number, gen: number, find?: number): Promise<TripletPage> {
    const f = this.filters;
    const page = await call('listTriplets', {
      split: f.split || undefined,
      status: f.excluded ? 'excluded' : undefined,
      mispredicted: f.mispredicted || undefined,
      edited: f.edited || undefined,
      imageId: f.image?.id,
      offset: index * TRIPLET_PAGE,
      limit: TRIPLET_PAGE,
      ...(find === undefined ? {} : { find }),
    });
    if (gen === this.gen) this.total = page.total;
    return page;
  }

  private throttle: ReturnType<typeof setTimeout> | null = null;

  /**
   * The rows from `start` to `end` (exclusive) are about to show: load their pages. While the list
   * flies past (a dragged scrollbar), at most every 80 ms and always for the latest range, so the
   * pages the user only passed are never queued in front of the ones they stop on.
   */
  ensure(start: number, end: number): void {
    this.range = [start, end];
    if (this.throttle) return;
    this.loadRange();
    this.throttle = setTimeout(() => {
      this.throttle = null;
      this.loadRange();
    }, 80);
  }

  private loadRange(): void {
    for (const p of this.pageSpan(...this.range)) void this.loadPage(p);
  }

  private loadPage(index: number): Promise<void> {
    if (this.pages.has(index)) return Promise.resolve();
    const pending = this.inFlight.get(index);
    if (pending) return pending;
    const gen = this.gen;
    const job = this.fetchPage(index, gen)
      .then(({ items }) => {
        if (gen !== this.gen) return;
        const next = new Map(this.pages);
        next.set(index, items);
        this.pages = next;
      })
      .finally(() => {
        if (gen === this.gen) this.inFlight.delete(index);
      });
    this.inFlight.set(index, job);
    return job;
  }

  /** Moves the selection by `delta` (J/K), loading the row's page when needed. */
  async step(delta: number): Promise<void> {
    const next = Math.max(0, Math.min(this.total - 1, this.selected + delta));
    this.selected = next;
    await this.loadPage(Math.floor(next / TRIPLET_PAGE));
  }

  async edit(id: number, edit: TripletEdit): Promise<TripletRecord | null> {
    const record = await call('editTriplet', { id, edit });
    if (record) this.showRow(record);
    return record;
  }

  /** Triplet `id` as the loaded rows show it (undefined when it is not loaded). */
  loadedRow(id: number): TripletRecord | undefined {
    for (const rows of this.pages.values()) {
      const r = rows.find((x) => x.id === id);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * The triplet as an edit left it, shown at once in the rows loaded (the refresh its change event
   * brings follows): a key pressed before that refresh acts on what the edit did, not on the row before it.
   */
  private showRow(record: TripletRecord): void {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === record.id);
      if (i < 0) continue;
      this.pages = new Map(this.pages).set(p, rows.with(i, { ...rows[i], ...record }));
      return;
    }
  }

  /** The user has checked a triplet whose image changed on disk: its flag goes. */
  async clearFlag(id: number): Promise<void> {
    await call('clearTripletFlags', { ids: [id] });
  }

  async create(split: Split, anchorId: number, positiveId: number, negativeId: number, allowLeakage = false): Promise<TripletRecord> {
    return call('createTriplet', { split, anchorId, positiveId, negativeId, ...(allowLeakage ? { allowLeakage } : {}) });
  }

  async importFile(file: string, split: Split, skipInvalid: boolean, allowLeakage = false): Promise<TripletImportReport> {
    this.toTop = true;
    try {
      // Browser mode's typed path is the user's pick; confirming it lets the main side read it (the
      // desktop app's dialog picked it already, or opens on it to confirm).
      const source = await call('pickFile', { title: 'Import triplets', typed: file });
      // The desktop app's dialog opened on a path typed in the field, and the user cancelled it.
      if (!source) throw new ApiError('CANCELLED', 'The file was not confirmed; nothing was imported.');
      const report = await call('importTriplets', { file: source, split, skipInvalid, allowLeakage });
      this.lastImport = report;
      return report;
    } catch (err) {
      this.toTop = false; // refused: nothing changed, no refresh comes
      throw err;
    }
  }

  /** Null when the desktop app's dialog, opened on a typed path to confirm it, was cancelled. */
  async exportFile(file: string, split: Split): Promise<{ file: string; count: number } | null> {
    // Browser mode's typed path is the user's pick; confirming it lets the main side write there.
    const target = await call('pickFile', { title: 'Export triplets', save: true, typed: file });
    if (!target) return null;
    return call('exportTriplets', { file: target, split });
  }

  /** Shows the triplets using one image (the Library's "Used in N triplets"). */
  showImage(image: { id: number; name: string }): void {
    this.filters = { split: '', mispredicted: false, edited: false, excluded: false, image };
    this.selected = 0;
    this.range = [0, 1];
    this.pages = new Map();
    this.loaded = false;
  }
}

export const triplets = new Triplets();
