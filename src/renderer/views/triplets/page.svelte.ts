// State of the Triplets view (one instance per mounted view): list or maker mode, the maker's picks,
// the import/export dialog, and the edit commands with their messages. The triplet list itself is
// the shared `triplets` state (lib/state/triplets.svelte.ts); it refreshes on change events.
import type { ImageRecord, Split, TripletImportReport, TripletRecord, TripletRole } from '../../../shared/types.js';
import { api, call, toApiError } from '../../lib/api.js';
import { formatNumber, plural } from '../../lib/format.js';
import { status } from '../../lib/state/status.svelte.js';
import { attempt, toasts } from '../../lib/state/toasts.svelte.js';
import { triplets } from '../../lib/state/triplets.svelte.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { uploadFile } from '../../lib/upload.js';
import { library } from '../../lib/state/library.svelte.js';

export type EditKind = 'swap' | 'delete' | 'move' | 'toggle';
export interface FileOp {
  kind: 'import' | 'export';
  path: string;
  split: Split;
  /** Export: the existing file the dialog asks about before replacing it. */
  askReplace?: string | null;
  /** Export: the path the user agreed to replace (or picked in a dialog that asked). */
  confirmed?: string | null;
}

export class TripletsPage {
  /** list; make = the maker; replace = picking a new image for one place of a triplet. The Map's "Make triplets from these" opens the maker (its grid shows the selection). */
  mode = $state<'list' | 'make' | 'replace'>(library.openMaker ? ((library.openMaker = false), 'make') : 'list');
  replacing = $state.raw<{ triplet: TripletRecord; role: TripletRole } | null>(null);
  /** A replacement refused only for leaking across the split: the user may confirm it. */
  leak = $state.raw<{ image: ImageRecord; message: string } | null>(null);

  // ----- maker -----
  /** The maker's places: anchor, positive, negative (null: not picked yet). */
  picks = $state.raw<(ImageRecord | null)[]>([null, null, null]);
  makeSplit = $state<Split>('train');

  // ----- import / export dialog -----
  fileOp = $state<FileOp | null>(null);
  report = $state.raw<TripletImportReport | null>(null);
  fileBusy = $state(false);

  /**
   * Swaps go one at a time: each names the positive its row shows when it is sent (the reply before
   * it is shown in the row at once), so quick presses toggle in turn while a swap by another process
   * meanwhile is refused. One refused drops the presses queued behind it: they counted on it.
   */
  private swapQueue: Promise<unknown> = Promise.resolve();
  private swapSeq = 0;
  private swapDropThrough = 0;

  private queueSwap(cur: TripletRecord): Promise<'done' | 'dropped'> {
    const seq = ++this.swapSeq;
    const run = this.swapQueue.then(async () => {
      if (seq <= this.swapDropThrough) return 'dropped' as const;
      try {
        await triplets.edit(cur.id, { kind: 'swap', positiveId: triplets.loadedRow(cur.id)?.positiveId ?? cur.positiveId });
        return 'done' as const;
      } catch (err) {
        this.swapDropThrough = this.swapSeq;
        throw err;
      }
    });
    this.swapQueue = run.catch(() => undefined);
    return run;
  }

  /** Applies an edit to the selected triplet; the list follows from the change event. */
  async edit(kind: EditKind): Promise<void> {
    const cur = triplets.current;
    if (!cur) return;
    if (kind === 'swap') {
      try {
        if ((await this.queueSwap(cur)) === 'done') status.say(`Swapped positive and negative · triplet #${cur.id} · Ctrl+Z to undo`);
      } catch (err) {
        status.say(toApiError(err).message, 'error');
      }
      return;
    }
    const e =
      kind === 'delete'
          ? ({ kind: 'delete' } as const)
          : kind === 'move'
            ? ({ kind: 'move', split: cur.split === 'train' ? 'test' : 'train' } as const)
            : cur.status === 'excluded'
              ? ({ kind: 'include' } as const)
              : ({ kind: 'exclude' } as const);
    try {
      // A delete answers null; wrapped, so that null means only "the user kept it as it was".
      const done = await withLeakAsked(
        async (allowLeakage) => ({ record: await triplets.edit(cur.id, allowLeakage && (e.kind === 'move' || e.kind === 'include') ? { ...e, allowLeakage } : e) }),
        e.kind === 'move' ? `Move anyway` : e.kind === 'include' ? 'Include anyway' : '',
        e.kind === 'include' ? 'Keep it excluded' : `Keep it in ${cur.split}`,
      );
      if (!done) return;
      const words = { delete: 'Deleted', move: `Moved to ${e.kind === 'move' ? e.split : ''}`, toggle: e.kind === 'include' ? 'Included' : 'Excluded' };
      status.say(`${words[kind]} · triplet #${cur.id} · Ctrl+Z to undo`);
    } catch (err) {
      status.say(toApiError(err).message, 'error');
    }
  }

  /** Starts picking a new image for one place of the selected triplet. */
  startReplace(role: TripletRole): void {
    const t = triplets.current;
    if (!t) return;
    this.replacing = { triplet: t, role };
    this.mode = 'replace';
  }

  /** The picked image takes the place; refused ones (duplicate, contradiction, leak) say why and stay in picking. */
  async replaceWith(img: ImageRecord, allowLeakage = false): Promise<void> {
    const r = this.replacing;
    if (!r) return;
    this.leak = null;
    try {
      await triplets.edit(r.triplet.id, { kind: 'replace', role: r.role, imageId: img.id, ...(allowLeakage ? { allowLeakage } : {}) });
      status.say(`Replaced the ${r.role} of triplet #${r.triplet.id} with ${img.name} · Ctrl+Z to undo`);
      this.replacing = null;
      this.mode = 'list';
    } catch (err) {
      const e = toApiError(err);
      if ((e.details as { leak?: boolean } | undefined)?.leak) this.leak = { image: img, message: e.message };
      else toasts.error(err, 'Could not replace the image');
    }
  }

  /** Opens the maker with the picks it had (Esc back to the list keeps them: nothing is lost by a key). */
  startMaking(): void {
    this.mode = 'make';
  }

  clearPicks(): void {
    this.picks = [null, null, null];
  }

  /** Anchor, positive and negative all picked. */
  get full(): boolean {
    return this.picks.every((p) => p !== null);
  }

  /** Where an image is picked: 0, 1, 2 (anchor, positive, negative), or -1. */
  roleOf(id: number): number {
    return this.picks.findIndex((p) => p?.id === id);
  }

  /**
   * An image takes the first empty place (anchor, then positive, then negative; the maker's
   * SimilarPanel then shows the anchor's neighbours). A picked image clicked again is unpicked and
   * leaves its place empty, so one wrong pick is fixed without starting over.
   */
  async pick(img: ImageRecord): Promise<void> {
    const at = this.roleOf(img.id);
    if (at >= 0) return void (this.picks = this.picks.map((p, i) => (i === at ? null : p)));
    const free = this.picks.indexOf(null);
    if (free < 0) return;
    this.picks = this.picks.map((p, i) => (i === free ? img : p));
  }

  /** A create on its way: another Ctrl+Enter meanwhile does nothing, instead of sending the same triplet again. */
  private creating = false;

  async saveTriplet(): Promise<void> {
    if (!this.full || this.creating) return;
    this.creating = true;
    try {
      await this.createPicked();
    } finally {
      this.creating = false;
    }
  }

  private async createPicked(): Promise<void> {
    const [a, p, n] = this.picks as ImageRecord[];
    const split = this.makeSplit;
    const rec = await attempt(
      () => withLeakAsked((allowLeakage) => triplets.create(split, a.id, p.id, n.id, allowLeakage), 'Create anyway', 'Go back'),
      'Could not create the triplet',
    );
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

  /** Browser mode's Browse…: the folder and file browser fills the path (it asks before replacing). */
  async browseFileOp(): Promise<void> {
    const op = this.fileOp;
    if (!op) return;
    const picked = await attempt(() => dialogs.file(op.kind === 'import' ? 'Import triplets' : 'Export triplets', op.kind === 'export'));
    if (!picked || this.fileOp !== op) return;
    op.path = picked;
    op.askReplace = null;
    this.forgetReport(); // the report shown was of the file before
    op.confirmed = op.kind === 'export' ? picked : null;
  }

  /** Upload progress of a dropped file (bytes), while it is sent. */
  received = $state<{ done: number; total: number } | null>(null);

  /** A dropped (or browser-chosen) triplet file: sent to the project as bytes, then imported as usual. */
  async importDropped(file: File): Promise<void> {
    const op = this.fileOp;
    if (!op || op.kind !== 'import' || this.fileBusy) return;
    this.report = null;
    this.received = { done: 0, total: file.size };
    const path = await attempt(() => uploadFile(file, (done, total) => (this.received = { done, total })), `Could not read ${file.name}`);
    this.received = null;
    if (!path || this.fileOp !== op) return;
    op.path = path;
    await this.runFileOp();
  }

  closeFileOp(): void {
    this.fileOp = null;
  }

  /** The path or split changed: the report shown was of another file (its "good lines only" would skip this one's unseen). */
  forgetReport(): void {
    if (!this.fileBusy) this.report = null;
  }

  async runFileOp(skipInvalid = false, allowLeakage = false, replace = false): Promise<void> {
    if (!this.fileOp || !this.fileOp.path.trim()) return;
    const op = this.fileOp;
    this.fileBusy = true;
    try {
      if (op.kind === 'import') await this.runImport(op, skipInvalid, allowLeakage);
      else await this.runExport(op, replace);
    } finally {
      this.fileBusy = false;
    }
  }

  private async runImport(op: FileOp, skipInvalid: boolean, allowLeakage: boolean): Promise<void> {
    let r: TripletImportReport;
    this.report = null; // a failure below must not leave an earlier file's report up
    try {
      r = await triplets.importFile(op.path.trim(), op.split, skipInvalid, allowLeakage);
    } catch (err) {
      // A file with bad lines is refused as a whole; its report comes with the error.
      const refused = refusedReport(err);
      if (refused) this.report = refused;
      else if (toApiError(err).code === 'CANCELLED') toasts.push('info', 'Import cancelled', 'Nothing was imported: a triplet file is imported whole or not at all.');
      else toasts.error(err, 'Import failed');
      return;
    }
    this.report = r;
    if (!r.refused) {
      toasts.push(r.added ? 'success' : 'info', r.added ? 'Triplets imported' : 'No triplets added', `${plural(r.added, 'triplet')} added to ${r.split}${r.duplicates ? `, ${formatNumber(r.duplicates)} duplicates skipped` : ''}${r.invalidCount ? `, ${plural(r.invalidCount, 'bad line')} skipped` : ''}.${r.added ? ' Ctrl+Z undoes the whole import.' : ''}`);
      // The dialog stays with its report when it has something to say beyond the counts.
      if (r.invalidCount === 0 && r.conflictCount === r.duplicates && !r.leakage.triplets && !r.leakage.completed) this.fileOp = null;
    }
  }

  private async runExport(op: FileOp, replace = false): Promise<void> {
    const path = op.path.trim();
    if (replace && op.askReplace) op.confirmed = op.askReplace;
    if (!(await mayWriteExport(op, path))) return;
    const r = await attempt(() => triplets.exportFile(path, op.split), 'Export failed');
    if (r) {
      toasts.push('success', 'Triplets exported', `${plural(r.count, 'triplet')} written to ${r.file}`);
      this.fileOp = null;
    }
  }
}

/** Whether exporting to `path` may go ahead: a new file, or an existing one the user agreed to replace. */
async function mayWriteExport(op: FileOp, path: string): Promise<boolean> {
  const info = await attempt(() => call('pathInfo', { path }), 'Export failed');
  if (!info) return false;
  if (info.kind === 'dir') {
    toasts.push('error', 'Export failed', `${info.path} is a folder: add a file name, like ${info.path}/${op.split}.txt.`);
    return false;
  }
  if (!info.exists || op.confirmed === path || op.confirmed === info.path) return true;
  op.askReplace = info.path;
  return false;
}

function refusedReport(err: unknown): TripletImportReport | null {
  const e = toApiError(err);
  const d = e.details as { report?: TripletImportReport } | undefined;
  return e.code === 'INVALID_FILE' && d?.report ? { ...d.report, refused: true } : null;
}

/**
 * Runs a label write; when it is refused only for leaking across the train/test split (as an import
 * would be), asks whether to write it anyway and does so on yes. Resolves null when the user says no.
 * `confirm` empty: leakage is never asked about (the write cannot leak).
 */
async function withLeakAsked<T>(write: (allowLeakage: boolean) => Promise<T>, confirm: string, cancel: string): Promise<T | null> {
  try {
    return await write(false);
  } catch (err) {
    const e = toApiError(err);
    if (!confirm || !(e.details as { leak?: boolean } | undefined)?.leak) throw err;
    const yes = await dialogs.ask({ title: 'Train/test leakage', text: `${e.message} Test scores are less trustworthy when the splits share images.`, confirm, cancel });
    return yes ? write(true) : null;
  }
}
