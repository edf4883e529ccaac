// Review of mispredicted test triplets, worst first, with one-key corrections and their history.
// "Keep" and "ambiguous" are stored on the triplet (its `review`), so they survive Re-evaluate and restarts.
import type { EvaluateResult, FixesSinceRun, HistoryEntry, Mistake, ReviewDecision, RunSummary, TripletEdit } from '../../../shared/types.js';
import { call } from '../api.js';
import { Refresher } from './refresh.js';

export type Verdict = 'swap' | 'exclude' | 'keep';
// The one keymap (lib/shortcuts.ts): A = the labels are right, S = swap, X = exclude.
export const VERDICTS: Record<Verdict, { key: string; label: string; edit: TripletEdit; done: string }> = {
  keep: { key: 'A', label: 'Model wrong — keep', edit: { kind: 'review', review: 'keep' }, done: 'Kept as labelled' },
  swap: { key: 'S', label: 'Labels wrong — swap', edit: { kind: 'swap' }, done: 'Swapped positive and negative' },
  exclude: { key: 'X', label: 'Ambiguous — exclude', edit: { kind: 'review', review: 'ambiguous' }, done: 'Marked ambiguous and excluded' },
};

/** The verdict a stored review decision stands for. */
export function verdictOf(review: ReviewDecision | null | undefined): Verdict | null {
  return review === 'keep' ? 'keep' : review === 'ambiguous' ? 'exclude' : null;
}

/** The newest finished run: the one Review reviews. */
const latestFinished = (runs: RunSummary[]): RunSummary | null => runs.filter((r) => r.status === 'finished').sort((a, b) => b.id - a.id)[0] ?? null;

/** How wrong the model is on a triplet: the larger d(A,P) − d(A,N), the worse. */
export const severity = (m: Mistake): number => m.dAP - m.dAN;

class Review {
  mistakes = $state.raw<Mistake[]>([]);
  index = $state(0);
  history = $state.raw<HistoryEntry[]>([]);
  loaded = $state(false);
  /**
   * Verdicts per triplet: stored decisions from the list, plus swaps made since it was loaded (a
   * swapped triplet is no mistake on the labels now, so the next load leaves it out; its swap is in
   * the history).
   */
  resolved = $state.raw<Map<number, Verdict>>(new Map());
  /** The last re-evaluation: accuracy on the current labels and on the labels as imported. */
  evaluation = $state.raw<EvaluateResult | null>(null);
  /** The run under review (the latest finished one). */
  run = $state.raw<RunSummary | null>(null);
  /** The newest run whatever its state: before any run finished, it says why (failed, cancelled). */
  newest = $state.raw<RunSummary | null>(null);
  /** Triplets edited since that run started (train ones make "Retrain with my fixes" worthwhile). */
  fixes = $state.raw<FixesSinceRun | null>(null);

  /**
   * A new run or evaluation changes the mistakes; a triplet edit (here or elsewhere) only the history,
   * the fixes and the run's score on the labels now (`run.now`, from its stored predictions).
   */
  private readonly all = new Refresher(['runs'], () => this.load());
  private readonly onEdit = new Refresher(['triplets'], () => Promise.all([this.loadHistory(), this.loadFixes(), this.loadRun()]).then(() => undefined));
  /** A step that changes no triplet (a removal of images) only adds to the history. */
  private readonly onHistory = new Refresher(['history'], () => this.loadHistory());

  /** The Review view is shown: load it and follow changes while it is shown. */
  watch(): () => void {
    const stopAll = this.all.watch();
    const stopEdits = this.onEdit.watch(false);
    const stopHistory = this.onHistory.watch(false);
    return () => (stopAll(), stopEdits(), stopHistory());
  }

  get current(): Mistake | undefined {
    return this.mistakes[this.index];
  }

  async load(): Promise<void> {
    // Before the first finished run there are no mistakes to list (asking fails), but there is a history.
    const [history, runs] = await Promise.all([call('history', { limit: 200 }), call('runs', {}), this.loadFixes()]);
    this.run = latestFinished(runs);
    this.newest = runs.reduce<RunSummary | null>((a, r) => (!a || r.id > a.id ? r : a), null);
    const list = this.run ? await call('mistakes', {}) : [];
    // Listing the mistakes scores the test triplets the run had not: its score on the labels now changed.
    if (this.run?.now?.unscored) await this.loadRun();
    this.mistakes = [...list].sort((a, b) => severity(b) - severity(a));
    this.history = history;
    this.index = Math.min(this.index, Math.max(0, this.mistakes.length - 1));
    this.resolved = new Map(this.mistakes.flatMap((m) => (verdictOf(m.review) ? [[m.tripletId, verdictOf(m.review)!] as const] : [])));
    this.loaded = true;
  }

  /** The run under review again: its score on the labels now follows each edit. */
  async loadRun(): Promise<void> {
    this.run = latestFinished(await call('runs', {}));
  }

  async loadHistory(): Promise<void> {
    this.history = await call('history', { limit: 200 });
  }

  async loadFixes(): Promise<void> {
    this.fixes = await call('fixesSince', {});
  }

  /** Moves through the list (J/K). */
  step(delta: number): void {
    this.index = Math.max(0, Math.min(this.mistakes.length - 1, this.index + delta));
  }

  /** An edit on its way: keys pressed meanwhile are ignored (a double press swapped one triplet twice and skipped the next). */
  private busy = false;

  /** The verdict on the current mistake, then the next one; false when nothing was done (none, or one on its way). */
  async apply(verdict: Verdict): Promise<boolean> {
    const m = this.current;
    if (!m || this.busy) return false;
    this.busy = true;
    try {
      const edit = VERDICTS[verdict].edit;
      await call('editTriplet', { id: m.tripletId, edit: edit.kind === 'swap' ? { ...edit, positiveId: m.positiveId } : edit });
    } finally {
      this.busy = false;
    }
    const next = new Map(this.resolved);
    next.set(m.tripletId, verdict);
    this.resolved = next;
    if (verdict === 'swap') this.patch(m.tripletId, (x) => ({ ...x, positive: x.negative, negative: x.positive, positiveId: x.negativeId, negativeId: x.positiveId, dAP: x.dAN, dAN: x.dAP, review: null }));
    else this.patch(m.tripletId, (x) => ({ ...x, review: verdict === 'keep' ? 'keep' : 'ambiguous' }));
    if (this.index < this.mistakes.length - 1) this.index++;
    return true;
  }

  /** Updates one mistake in place (keeps the reviewer's position). */
  patch(tripletId: number, fn: (m: Mistake) => Mistake): void {
    this.mistakes = this.mistakes.map((m) => (m.tripletId === tripletId ? fn(m) : m));
  }

  /** After an undo/redo: reflect the entry's effect on the list. */
  afterUndoRedo(entry: HistoryEntry | null, undone: boolean): void {
    if (!entry || entry.tripletId === null) return;
    const id = entry.tripletId;
    const state = undone ? entry.before : entry.after;
    if (state && state.positive && state.negative) {
      this.patch(id, (m) => {
        const swapped = m.positive !== state.positive;
        const next = swapped
          ? { ...m, positive: m.negative, negative: m.positive, positiveId: m.negativeId, negativeId: m.positiveId, dAP: m.dAN, dAN: m.dAP }
          : m;
        return { ...next, review: state.review ?? null };
      });
    }
    const next = new Map(this.resolved);
    // A swap or exclusion just redone shows as such; otherwise the stored decision (if any) shows.
    const redone: Verdict | null = !undone && (entry.action === 'swap' || entry.action === 'exclude') ? entry.action : null;
    const verdict = redone ?? verdictOf(state?.review);
    if (verdict) next.set(id, verdict);
    else next.delete(id);
    this.resolved = next;
    const i = this.mistakes.findIndex((m) => m.tripletId === id);
    if (i >= 0) this.index = i;
  }
}

export const review = new Review();
