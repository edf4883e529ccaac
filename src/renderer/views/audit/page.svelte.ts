// State of the Audit view: the last audit's report (kept by the service for the session), the job
// that makes a new one, the cursor in the suspects, and one-key decisions through the undoable edit
// path. After any triplet change (an edit here, an undo, another view) the report is read again, so
// each suspect shows its current state (swapped, excluded, kept) in the audit's order.
import type { AuditReport, AuditSuspect, HistoryEntry, JobProgress, TripletEdit } from '../../../shared/types.js';
import { call } from '../../lib/api.js';
import { jobs } from '../../lib/state/jobs.svelte.js';
import { project } from '../../lib/state/project.svelte.js';
import { Refresher } from '../../lib/state/refresh.js';
import { stoppingJobs } from '../../lib/state/stop-jobs.js';
import { undo } from '../../lib/state/undo.svelte.js';

export type AuditTab = 'suspects' | 'contradictions' | 'duplicates' | 'leakage';
export type AuditAction = 'keep' | 'swap' | 'exclude';

export const AUDIT_ACTIONS: Record<AuditAction, { key: string; label: string; edit: TripletEdit; done: string }> = {
  keep: { key: 'A', label: 'Labels right — keep', edit: { kind: 'keep' }, done: 'Kept as labelled (sinks on the next audit)' },
  swap: { key: 'S', label: 'Swap positive and negative', edit: { kind: 'swap' }, done: 'Swapped positive and negative' },
  exclude: { key: 'X', label: 'Exclude from training', edit: { kind: 'exclude' }, done: 'Excluded' },
};

/** Suspects shown at most (the worst; the CLI's --json has them all). */
export const SHOWN_SUSPECTS = 300;

/** file:line of a triplet (the file's name only), or where it came from. */
export function whereOf(t: { file: string | null; line: number | null }): string {
  return t.file && t.line !== null ? `${t.file.split(/[\\/]/).pop()}:${t.line}` : 'made in the app';
}

/** A suspect's state in words, for its badge (null: untouched). */
export function suspectState(s: AuditSuspect): string | null {
  if (s.status === 'deleted') return 'deleted';
  if (s.status === 'excluded') return 'excluded';
  if (s.split === 'test') return 'moved to test';
  if (s.swapped) return 'swapped';
  return s.kept ? 'kept' : null;
}

class AuditPage {
  report = $state.raw<AuditReport | null>(null);
  index = $state(0);
  tab = $state<AuditTab>('suspects');
  jobId = $state<string | null>(null);
  /** The last thing done, for the status line. */
  status = $state('');
  loaded = $state(false);

  /** The report follows label edits, and images removed or brought back (its duplicates and leakage name images). */
  private readonly refresher = new Refresher(['triplets', 'images'], () => this.load());

  watch(): () => void {
    return this.refresher.watch();
  }

  get suspects(): AuditSuspect[] {
    return this.report?.suspects.slice(0, SHOWN_SUSPECTS) ?? [];
  }

  get current(): AuditSuspect | undefined {
    return this.suspects[this.index];
  }

  get job(): JobProgress | undefined {
    return this.jobId ? jobs.active[this.jobId] : undefined;
  }

  async load(): Promise<void> {
    this.report = await call('auditReport', {});
    this.index = Math.min(this.index, Math.max(0, this.suspects.length - 1));
    this.loaded = true;
  }

  /** Starts an audit job and waits for its report (a cancel leaves the previous report). */
  async run(): Promise<void> {
    const started = await stoppingJobs(() => call('audit', {}), 'Auditing the labels', 'Stop and audit');
    if (!started) return;
    const { jobId } = started;
    this.jobId = jobId;
    this.status = 'Auditing the train triplets…';
    try {
      this.report = (await jobs.result(jobId, 'audit')) as AuditReport;
      this.index = 0;
      this.tab = 'suspects';
      const n = this.report.suspects.filter((s) => s.score > 0 && !s.kept).length;
      this.status = `Audit done: ${n} train triplets the held-out models disagree with.`;
    } catch (err) {
      this.status = (err as { code?: string }).code === 'CANCELLED' ? 'Audit cancelled.' : 'Audit failed.';
      throw err;
    } finally {
      this.jobId = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.jobId) await jobs.cancel(this.jobId);
  }

  move(delta: number): void {
    this.index = Math.max(0, Math.min(this.suspects.length - 1, this.index + delta));
  }

  /** An edit on its way: keys pressed meanwhile are ignored (a double press swapped one triplet twice and skipped the next). */
  private busy = false;

  /** One decision on the current suspect, then the next one. */
  async apply(action: AuditAction): Promise<void> {
    const s = this.current;
    if (!s || s.status === 'deleted' || this.busy || project.refusesWrites()) return;
    this.busy = true;
    try {
      const edit = AUDIT_ACTIONS[action].edit;
      // The suspect keeps the pair as audited; `swapped` says the stored one is the other way round now.
      const shown = s.swapped ? s.negativeId : s.positiveId;
      await call('editTriplet', { id: s.id, edit: edit.kind === 'swap' ? { ...edit, positiveId: shown } : edit });
    } finally {
      this.busy = false;
    }
    this.status = `${AUDIT_ACTIONS[action].done}: triplet #${s.id}${s.line ? ` (line ${s.line})` : ''} · Ctrl+Z to undo`;
    this.move(1);
  }

  /** Ctrl+Z or Ctrl+Shift+Z (in any view) changed a triplet: the status says so, not the edit it undid; the cursor goes to it. */
  afterUndoRedo(entry: HistoryEntry, undone: boolean): void {
    if (!this.report || entry.tripletId === null) return;
    const i = this.suspects.findIndex((s) => s.id === entry.tripletId);
    if (i >= 0) this.index = i;
    this.status = `${undone ? 'Undone' : 'Redone'}: ${entry.action} on triplet #${entry.tripletId}.`;
  }
}

export const auditPage = new AuditPage();
undo.onApplied((entry, undone) => auditPage.afterUndoRedo(entry, undone));
