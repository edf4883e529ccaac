// The image library as pages fetched on demand: the grid asks for the rows it shows and only those
// pages are loaded, so 100,000 images cost a few requests, not one huge one. It starts over on the
// service's `images` change events (refresh.ts), not after the caller's own import.
import type { ImageImportReport, ImagePage, ImageRecord } from '../../../shared/types.js';
import { call } from '../api.js';
import { jobs } from './jobs.svelte.js';
import { project } from './project.svelte.js';
import { Refresher } from './refresh.js';
import { stoppingJobs } from './stop-jobs.js';

export const PAGE = 200;

/**
 * The folder menu's value for images at the top level (folder ''): '' already means every folder,
 * and no folder is named '/' (names are relative paths).
 */
export const TOP_LEVEL = '/';

class Library {
  search = $state('');
  folder = $state('');
  folders = $state.raw<string[]>([]);
  /** Only these images (a lasso selection on the Map, the missing files), or null for all. */
  ids = $state.raw<number[] | null>(null);
  /** What `ids` are, for the chip that shows the filter ("Map selection", "Missing files"). */
  idsLabel = $state('Map selection');
  /** The Map's "Make triplets from these": the Triplets view opens its maker (taken once). */
  openMaker = false;
  total = $state(0);
  /** A first page has come for the current project: an empty grid means empty, not "not loaded yet". */
  loaded = $state(false);
  /** Loaded pages by page index; replaced (not mutated) so readers update. */
  pages = $state.raw<Map<number, ImageRecord[]>>(new Map());
  loading = new Set<number>();
  /** Pages of the current answer (`pages` may still hold the previous one's until its first page comes). */
  private fresh = new Set<number>();
  /** The rows the grid last showed, fetched again after a reload. */
  private range: [number, number] = [0, 1];
  /** Generation of the current query; answers to an older query are dropped. */
  private gen = 0;
  lastImport = $state.raw<ImageImportReport | null>(null);
  importJob = $state<string | null>(null);
  private readonly refresher = new Refresher(['images'], () => this.reload());

  constructor() {
    project.onSwitch(() => this.forget());
  }

  /**
   * Another project: its images are others, so the last one's filters (a Map selection's ids would
   * pick unrelated images), pages and import report go, and an empty grid waits for its first page.
   */
  private forget(): void {
    this.gen++;
    this.loading.clear();
    this.fresh = new Set();
    this.range = [0, 1];
    this.search = '';
    this.folder = '';
    this.folders = [];
    this.ids = null;
    this.idsLabel = 'Map selection';
    this.openMaker = false;
    this.pages = new Map();
    this.total = 0;
    this.loaded = false;
    this.lastImport = null;
    this.refresher.invalidate();
  }

  /** A view shows the library (Library, the triplet maker): load it and follow changes while shown. */
  watch(): () => void {
    return this.refresher.watch();
  }

  /** The folder filter as the main side takes it: undefined for every folder, '' for the top level. */
  get folderQuery(): string | undefined {
    return this.folder === TOP_LEVEL ? '' : this.folder || undefined;
  }

  /**
   * Starts over for the current filter: fetches the first page and those in view (and the total).
   * The grid keeps what it shows until they all replace it at once, so a click while the list
   * refreshes (another process imported) lands on an image, not on a blank cell, wherever it is scrolled.
   */
  async reload(): Promise<void> {
    this.gen++;
    const gen = this.gen;
    this.loading.clear();
    this.fresh = new Set();
    const want = [...new Set([0, ...this.pagesIn(...this.range)])];
    for (const p of want) this.loading.add(p);
    try {
      const [folders, answers] = await Promise.all([call('listFolders', {}), Promise.all(want.map((p) => this.fetchPage(p)))]);
      if (gen !== this.gen) return;
      const next = new Map(want.map((p, i) => [p, answers[i].items] as const));
      // Pages of this answer that came meanwhile (the grid moved) are kept; the previous answer's go.
      for (const p of this.fresh) next.set(p, this.pages.get(p)!);
      for (const p of want) this.fresh.add(p);
      this.total = answers[0].total;
      this.pages = next;
      this.loaded = true;
      this.folders = folders;
    } finally {
      if (gen === this.gen) for (const p of want) this.loading.delete(p);
    }
    // The chosen folder lost its last image (removed, or re-imported elsewhere): the menu could not
    // show it and the grid said nothing matched, so the filter goes back to every folder.
    if (this.folder && !this.folders.includes(this.folder === TOP_LEVEL ? '' : this.folder)) {
      this.folder = '';
      await this.reload();
    }
  }

  private fetchPage(index: number): Promise<ImagePage> {
    return call('listImages', {
      search: this.search || undefined,
      folder: this.folderQuery,
      ids: this.ids ?? undefined,
      offset: index * PAGE,
      limit: PAGE,
    });
  }

  /** One page the grid asks for (scrolling), added to those of the current answer. */
  async loadPage(index: number): Promise<void> {
    if (this.fresh.has(index) || this.loading.has(index)) return;
    const gen = this.gen;
    this.loading.add(index);
    try {
      const page = await this.fetchPage(index);
      if (gen !== this.gen) return;
      this.total = page.total;
      this.fresh.add(index);
      const next = new Map(this.pages);
      next.set(index, page.items);
      this.pages = next;
    } finally {
      if (gen === this.gen) this.loading.delete(index);
    }
  }

  private pagesIn(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = Math.floor(start / PAGE); p <= Math.floor(Math.max(start, end - 1) / PAGE); p++) out.push(p);
    return out;
  }

  /** Every image again: no name filter, folder or selection. */
  clearFilters(): Promise<void> {
    this.search = '';
    this.folder = '';
    this.ids = null;
    return this.reload();
  }

  /** Filters the grid to `ids` (null: every image again) and reloads it. */
  showOnly(ids: number[] | null, opts: { openMaker?: boolean; label?: string } = {}): void {
    this.ids = ids;
    this.idsLabel = opts.label ?? 'Map selection';
    this.openMaker = !!opts.openMaker;
    void this.reload();
  }

  /** Ensures the images from `start` to `end` (exclusive) are loaded or on their way. */
  ensure(start: number, end: number): void {
    this.range = [start, end];
    for (const p of this.pagesIn(start, end)) void this.loadPage(p);
  }

  at(i: number): ImageRecord | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  /** Imports a folder as a job; resolves with the report when it ends (rejects on failure or cancel). */
  async importFolder(folder: string): Promise<ImageImportReport | undefined> {
    const started = await stoppingJobs(() => call('importImages', { folder }), 'Importing images', 'Stop and import');
    if (!started) return undefined;
    const { jobId } = started;
    this.importJob = jobId;
    try {
      const report = (await jobs.result(jobId, 'import-images')) as ImageImportReport;
      this.lastImport = report;
      return report;
    } finally {
      this.importJob = null;
    }
  }
}

export const library = new Library();
