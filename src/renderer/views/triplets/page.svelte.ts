// State of the Triplets view (one instance per mounted view): list or maker mode, the maker's picks,
// the import/export dialog, and the edit commands with their messages. The triplet list itself is
// the shared `triplets` state (lib/state/triplets.svelte.ts); it refreshes on change events.
import type { ImageRecord, Neighbour, Split, TripletImportReport } from '../../../shared/types.js';
import { api, call, toApiError } from '../../lib/api.js';
import { formatNumber, plural } from '../../lib/format.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';
import { triplets } from '../../lib/state/triplets.svelte.js';
import { library } from '../../lib/state/library.svelte.js';

export type EditKind = 'swap' | 'delete' | 'move' | 'toggle';
export interface FileOp {
  kind: 'import' | 'export';
  path: string;
  split: Split;
}

export class TripletsPage {
  /** The Map's "Make triplets from these" opens the maker (its grid shows the selection). */
  mode = $state<'list' | 'make'>(library.openMaker ? ((library.openMaker = false), 'make') : 'list');

  // ----- maker -----
  picks = $state.raw<ImageRecord[]>([]);
  makeSplit = $state<Split>('train');
  neighbours = $state.raw<Neighbour[]>([]);

  // ----- import / export dialog -----
  fileOp = $state<FileOp | null>(null);
  report = $state.raw<TripletImportReport | null>(null);
  fileBusy = $state(false);

  /** Applies an edit to the selected triplet; the list follows from the change event. */
  async edit(kind: EditKind): Promise<void> {
    const cur = triplets.current;
    if (!cur) return;
    const e =
      kind === 'swap'
        ? ({ kind: 'swap' } as const)
        : kind === 'delete'
          ? ({ kind: 'delete' } as const)
          : kind === 'move'
            ? ({ kind: 'move', split: cur.split === 'train' ? 'test' : 'train' } as const)
            : cur.status === 'excluded'
              ? ({ kind: 'include' } as const)
              : ({ kind: 'exclude' } as const);
    const ok = await attempt(() => triplets.edit(cur.id, e));
    if (ok !== undefined) {
      const words = { swap: 'Swapped positive and negative', delete: 'Deleted', move: `Moved to ${e.kind === 'move' ? e.split : ''}`, toggle: e.kind === 'include' ? 'Included' : 'Excluded' };
      toasts.push('success', words[kind], `Triplet #${cur.id} · Ctrl+Z to undo`);
    }
  }

  startMaking(): void {
    this.mode = 'make';
    this.clearPicks();
  }

  clearPicks(): void {
    this.picks = [];
    this.neighbours = [];
  }

  /** Adds an image as the next role; after the anchor, suggests its neighbours when a model exists. */
  async pick(img: ImageRecord, hasRun: boolean): Promise<void> {
    if (this.picks.length >= 3 || this.picks.some((p) => p.id === img.id)) return;
    this.picks = [...this.picks, img];
    if (this.picks.length === 1 && hasRun) {
      this.neighbours = (await attempt(() => call('neighbours', { id: img.id, k: 24 }))) ?? [];
    }
  }

  async saveTriplet(): Promise<void> {
    if (this.picks.length !== 3) return;
    const [a, p, n] = this.picks;
    const rec = await attempt(() => triplets.create(this.makeSplit, a.id, p.id, n.id), 'Could not create the triplet');
    if (rec) {
      toasts.push('success', 'Triplet created', `#${rec.id} in ${rec.split}`);
      this.clearPicks();
    }
  }

  /** Opens the import/export dialog (in Electron after the native file picker). */
  async openFileOp(kind: FileOp['kind']): Promise<void> {
    this.report = null;
    let path = '';
    if (api.mode === 'electron') {
      const picked = await attempt(() => call('pickFile', { title: kind === 'import' ? 'Import triplets' : 'Export triplets', save: kind === 'export' }));
      if (!picked) return;
      path = picked;
    }
    this.fileOp = { kind, path, split: triplets.filters.split || 'train' };
  }

  closeFileOp(): void {
    this.fileOp = null;
  }

  async runFileOp(skipInvalid = false, allowLeakage = false): Promise<void> {
    if (!this.fileOp || !this.fileOp.path.trim()) return;
    const op = this.fileOp;
    this.fileBusy = true;
    try {
      if (op.kind === 'import') await this.runImport(op, skipInvalid, allowLeakage);
      else await this.runExport(op);
    } finally {
      this.fileBusy = false;
    }
  }

  private async runImport(op: FileOp, skipInvalid: boolean, allowLeakage: boolean): Promise<void> {
    let r: TripletImportReport;
    try {
      r = await triplets.importFile(op.path.trim(), op.split, skipInvalid, allowLeakage);
    } catch (err) {
      // A file with bad lines is refused as a whole; its report comes with the error.
      const refused = refusedReport(err);
      if (refused) this.report = refused;
      else toasts.error(err, 'Import failed');
      return;
    }
    this.report = r;
    if (!r.refused) {
      toasts.push('success', 'Triplets imported', `${plural(r.added, 'triplet')} added to ${r.split}${r.duplicates ? `, ${formatNumber(r.duplicates)} duplicates skipped` : ''}${r.invalidCount ? `, ${plural(r.invalidCount, 'bad line')} skipped` : ''}.${r.added ? ' Ctrl+Z undoes the whole import.' : ''}`);
      if (r.invalidCount === 0 && r.conflictCount === r.duplicates && !r.leakage.triplets) this.fileOp = null;
    }
  }

  private async runExport(op: FileOp): Promise<void> {
    const r = await attempt(() => triplets.exportFile(op.path.trim(), op.split), 'Export failed');
    if (r) {
      toasts.push('success', 'Triplets exported', `${plural(r.count, 'triplet')} written to ${r.file}`);
      this.fileOp = null;
    }
  }
}

function refusedReport(err: unknown): TripletImportReport | null {
  const e = toApiError(err);
  const d = e.details as { report?: TripletImportReport } | undefined;
  return e.code === 'INVALID_FILE' && d?.report ? { ...d.report, refused: true } : null;
}
