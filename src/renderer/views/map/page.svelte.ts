// State of the Map view (one instance per mounted view): which projection is shown (method, source),
// the decoded points (typed arrays, $state.raw), the colouring, the lasso selection and its actions.
// The map follows image, triplet and run changes while shown (a cache hit is one read on the main side).
import { base64ToFloat32, base64ToInt32 } from '../../../shared/b64.js';
import type { MapMethod, MapProjection, RunSummary } from '../../../shared/types.js';
import { ApiError, call, toApiError } from '../../lib/api.js';
import { plural } from '../../lib/format.js';
import { ImageRemoval } from '../../lib/state/image-removal.svelte.js';
import { jobs } from '../../lib/state/jobs.svelte.js';
import { library } from '../../lib/state/library.svelte.js';
import { nav } from '../../lib/state/nav.svelte.js';
import { Refresher } from '../../lib/state/refresh.js';
import { pointColours, type ColourBy, type PointColours } from './colours.js';

export interface MapPoints {
  info: MapProjection;
  ids: Int32Array;
  xy: Float32Array;
  errorRate: Float32Array;
}

/** 'latest': the latest finished run, else raw features; 'features': raw; a number: that run. */
export type MapSourceChoice = 'latest' | 'features' | number;

export class MapPage {
  method = $state<MapMethod>('pca');
  source = $state<MapSourceChoice>('latest');
  colourBy = $state<ColourBy>('folder');
  points = $state.raw<MapPoints | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  loading = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** 1 per selected point (index into points), or null. */
  selected = $state.raw<Uint8Array | null>(null);
  selectedCount = $state(0);
  private gen = 0;
  private readonly refresher = new Refresher(['images', 'triplets', 'runs'], () => this.refresh());

  colours: PointColours | null = $derived.by(() => {
    const p = this.points;
    if (!p) return null;
    return pointColours({ count: p.info.count, folders: p.info.folders, folder: p.info.folder, split: p.info.split, errorRate: p.errorRate }, this.colourBy);
  });

  /** The view is shown: load now and follow changes until the returned function is called. */
  watch(): () => void {
    return this.refresher.watch();
  }

  /** A change elsewhere: fetch again, unless a map is being computed (its reply reads the store at its end). */
  private async refresh(): Promise<void> {
    if (!jobs.ofKind('map')) await this.load(false);
  }

  /** Fetches the map (computing the missing features first when asked); replies to older requests are dropped. */
  async load(computeFeatures: boolean): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    try {
      // A newer choice replaces a map still being computed (one map job at a time).
      const running = jobs.ofKind('map');
      if (running) await jobs.cancel(running.jobId);
      const [info, runs] = await Promise.all([
        call('mapProjection', {
          method: this.method,
          ...(this.source === 'features' ? { source: 'features' as const } : typeof this.source === 'number' ? { runId: this.source } : {}),
          ...(computeFeatures ? { computeFeatures: true } : {}),
        }),
        call('runs', {}),
      ]);
      if (gen !== this.gen) return;
      const sameImages = this.points && this.points.info.ids === info.ids;
      this.points = { info, ids: base64ToInt32(info.ids), xy: base64ToFloat32(info.xy), errorRate: base64ToFloat32(info.errorRate) };
      this.runs = runs.filter((r) => r.status === 'finished');
      this.error = null;
      // The same images keep their selection (a recolouring); others start without one.
      if (!sameImages) this.clearSelection();
    } catch (err) {
      if (gen !== this.gen) return;
      this.error = toApiError(err);
      // The run shown was deleted (here or elsewhere): the map goes back to the latest run.
      if (this.error.code === 'NOT_FOUND' && typeof this.source === 'number') {
        this.source = 'latest';
        this.error = null;
        return this.load(false);
      }
      // A cancelled UMAP leaves the map shown before it: the Method box says which one that is.
      if (this.error.code === 'CANCELLED' && this.points) this.method = this.points.info.method;
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  setSelection(indices: number[], add: boolean): void {
    const n = this.points?.info.count ?? 0;
    const mask = add && this.selected ? this.selected.slice() : new Uint8Array(n);
    for (const i of indices) mask[i] = 1;
    let count = 0;
    for (let i = 0; i < n; i++) count += mask[i];
    this.selected = count ? mask : null;
    this.selectedCount = count;
  }

  /** The points of one legend entry (a folder, a split use, an error band): selecting without a mouse. */
  selectGroup(entry: number, add: boolean): void {
    const group = this.colours?.group;
    if (!group) return;
    const indices: number[] = [];
    for (let i = 0; i < group.length; i++) if (group[i] === entry) indices.push(i);
    this.setSelection(indices, add);
  }

  clearSelection(): void {
    this.selected = null;
    this.selectedCount = 0;
  }

  /** Image ids of the selection. */
  selectedIds(): number[] {
    const out: number[] = [];
    const p = this.points;
    if (!p || !this.selected) return out;
    for (let i = 0; i < p.info.count; i++) if (this.selected[i]) out.push(p.ids[i]);
    return out;
  }

  /** "Show in Library": the grid filtered to the selection. */
  showInLibrary(): void {
    library.showOnly(this.selectedIds());
    nav.go('library');
  }

  /** "Remove…": the selection out of the project (asks first; the map reloads without them). */
  removal = $state.raw<ImageRemoval | null>(null);
  removeSelected(): void {
    this.removal = new ImageRemoval({ ids: this.selectedIds() }, `the ${plural(this.selectedCount, 'image')} selected`);
  }

  /** "Make triplets from these": the Triplets maker with the selection as its candidates. */
  makeTriplets(): void {
    library.showOnly(this.selectedIds(), { openMaker: true });
    nav.go('triplets');
  }
}
