// State of the Export dialog (one per opened dialog): which of a finished run's three exports to
// write — the ONNX model (image in, encoding out), the tfjs encoder, every image's encoding — and
// where (by default a folder of its own inside the project, which needs no picking), the question
// before anything existing is replaced, the job, and what was written.
import { matrixFiles } from '../../../shared/export-files.js';
import type { RunExportReport, RunSummary } from '../../../shared/types.js';
import { call, toApiError } from '../../lib/api.js';
import { dialogs } from '../../lib/state/dialogs.svelte.js';
import { toasts } from '../../lib/state/toasts.svelte.js';
import { defaultPaths, PART_LABELS, replaced, withFormat, writtenText, type ExportPart } from './export-text.js';

export { PART_LABELS, type ExportPart };

export class RunExport {
  readonly run: RunSummary;
  chosen = $state<Record<ExportPart, boolean>>({ onnx: true, encodings: true, tfjs: false });
  paths = $state<Record<ExportPart, string>>({ onnx: '', tfjs: '', encodings: '' });
  /** Paths that exist and would be replaced: asked about before anything is written. */
  askReplace = $state<string[] | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  report = $state<RunExportReport | null>(null);
  /** The Python example was copied to the clipboard (the button says so until the next export). */
  copied = $state(false);
  /** Files picked in a save dialog, which already asked before replacing them: not asked again. */
  private readonly confirmed = new Set<string>();
  /** The dialog was closed while the export went on: its outcome then shows as a message. */
  closed = false;

  constructor(
    run: RunSummary,
    private readonly projectDir: string,
  ) {
    this.run = run;
    this.paths = defaultPaths(projectDir, run.id);
  }

  /**
   * Targets outside the project — typed, or changed after Browse… (a format switch) — are confirmed
   * as picks to write to, as the triplets export does: browser mode records them; the desktop app's
   * own dialog opens on them. False when one was not confirmed there (nothing is written).
   */
  private async confirmTargets(to: Partial<Record<ExportPart, string>>): Promise<boolean> {
    const inProject = (p: string) => p.startsWith(this.projectDir.replace(/[\\/]$/, '') + (this.projectDir.includes('\\') ? '\\' : '/'));
    for (const part of Object.keys(to) as ExportPart[]) {
      const path = to[part];
      if (!path || inProject(path)) continue;
      const title = `Export the ${PART_LABELS[part].title} of run #${this.run.id}`;
      const got = PART_LABELS[part].folder
        ? await call('pickFolder', { title, typed: path, write: true })
        : await call('pickFile', { title, typed: path, save: true });
      if (!got) return false;
      to[part] = got;
    }
    return true;
  }

  get format(): 'csv' | 'npy' {
    return /\.npy$/i.test(this.paths.encodings) ? 'npy' : 'csv';
  }

  set format(f: 'csv' | 'npy') {
    this.paths.encodings = withFormat(this.paths.encodings, f);
    this.edited();
  }

  get canExport(): boolean {
    return !this.busy && (Object.keys(this.chosen) as ExportPart[]).some((p) => this.chosen[p] && this.paths[p].trim());
  }

  /** Any change to what or where: the replace question and the last outcome no longer apply. */
  edited(): void {
    this.askReplace = null;
    this.error = null;
  }

  /** Picks a path: the native dialog in Electron, the folder and file browser in browser mode. */
  async browse(part: ExportPart): Promise<void> {
    const label = PART_LABELS[part];
    const title = `Export the ${label.title} of run #${this.run.id}`;
    let picked: string | null;
    try {
      picked = label.folder ? await dialogs.folder(title, 'Folder for the encoder', '', true) : await dialogs.file(title, true);
    } catch (err) {
      this.error = toApiError(err).message;
      return;
    }
    if (!picked) return;
    this.paths[part] = part === 'encodings' && !/\.(csv|npy)$/i.test(picked) ? withFormat(picked, this.format) : picked;
    if (!label.folder && this.paths[part] === picked) this.confirmed.add(picked);
    this.chosen[part] = true;
    this.edited();
  }

  /** The chosen targets, trimmed. */
  private targets(): Partial<Record<ExportPart, string>> {
    const out: Partial<Record<ExportPart, string>> = {};
    for (const p of Object.keys(this.chosen) as ExportPart[]) if (this.chosen[p] && this.paths[p].trim()) out[p] = this.paths[p].trim();
    return out;
  }

  /** Exports; asks first when something would be replaced (`replace` is the user's yes). */
  async start(replace = false): Promise<void> {
    if (!this.canExport) return;
    const to = this.targets();
    this.error = null;
    this.busy = true;
    try {
      if (!replace) {
        // A target the export would refuse (part of the project, a folder that is no encoder export) is
        // said now, not after the user agreed to replace it.
        await call('checkExport', { runId: this.run.id, ...to });
        const checks = [to.onnx, to.tfjs, ...(to.encodings ? matrixFiles(to.encodings) : [])].filter((p): p is string => !!p);
        const existing = replaced(await Promise.all(checks.map((path) => call('pathInfo', { path })))).filter((p) => !this.confirmed.has(p));
        if (existing.length) {
          this.askReplace = existing;
          return;
        }
      }
      this.askReplace = null;
      if (!(await this.confirmTargets(to))) return;
      this.report = await call('exportRun', { runId: this.run.id, ...to });
      toasts.push('success', `Run #${this.run.id} exported`, writtenText(this.report));
      this.copied = false;
    } catch (err) {
      const e = toApiError(err);
      this.error = e.code === 'CANCELLED' ? 'Cancelled: nothing was written.' : e.message;
      if (this.closed) toasts.push(e.code === 'CANCELLED' ? 'info' : 'error', `Export of run #${this.run.id} ${e.code === 'CANCELLED' ? 'cancelled' : 'failed'}`, this.error);
    } finally {
      this.busy = false;
    }
  }

  async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = true;
    } catch (err) {
      this.error = `Could not copy: ${err instanceof Error ? err.message : String(err)}. Select the lines and copy them instead.`;
    }
  }
}
