// State of the Suggest view: the batch of suggestions, where the user is, what they answered, and
// the pace. Answers go through the service (answerSuggestion: accept/swap → undoable train triplet,
// reject → remembered, also undoable); Ctrl+Z (the shared history) undoes an answer, and the card comes back.
// One page per open project (`suggestPage`), kept while the user visits other views, so a batch and
// its answers are not lost by a look at the Library.
import type { HistoryEntry, SuggestedTriplet, SuggestionAnswerKind, SuggestResult } from '../../../shared/types.js';
import { type ApiError, call, toApiError } from '../../lib/api.js';
import { jobs } from '../../lib/state/jobs.svelte.js';
import { project } from '../../lib/state/project.svelte.js';
import { Retrain } from '../../lib/state/retrain.svelte.js';
import { toasts } from '../../lib/state/toasts.svelte.js';
import { undo } from '../../lib/state/undo.svelte.js';
import { suggestionSource } from '../../../shared/suggest-text.js';

export interface Answered {
  answer: SuggestionAnswerKind;
  tripletId: number | null;
}

const ANSWER_WORDS: Record<SuggestionAnswerKind, string> = { accept: 'Accepted as shown', swap: 'Accepted swapped', reject: 'Rejected' };

export const REASON_TEXT: Record<SuggestedTriplet['reason'], string> = {
  uncertain: 'The model is unsure which of the two is closer to the anchor.',
  'hard-negative': 'An image close to the anchor that your labels place on the other side.',
  coverage: 'Ties images your labels leave loose to a group, or uses an image in no triplet yet.',
  explore: 'The model finds the positive alike, but no label ties it to the anchor yet: one answer links them (or corrects it).',
};

const keyOf = (s: SuggestedTriplet): string => `${s.anchorId}:${Math.min(s.positiveId, s.negativeId)}:${Math.max(s.positiveId, s.negativeId)}`;

export class SuggestPage {
  items = $state.raw<SuggestedTriplet[]>([]);
  index = $state(0);
  answered = $state.raw<Map<string, Answered>>(new Map());
  result = $state.raw<SuggestResult | null>(null);
  loading = $state(false);
  loaded = $state(false);
  /** The last load failed: said on the page (with Try again), not as "no suggestions". */
  error = $state.raw<ApiError | null>(null);
  busy = $state(false);
  /** The project this batch belongs to. */
  private dir: string | null = null;
  /** One line that says what the last key did (instead of a toast per key). */
  status = $state('');
  private times: number[] = [];
  readonly job = $derived(jobs.ofKind('suggest'));
  readonly current = $derived(this.items[this.index]);
  readonly labelled = $derived(this.answered.size);
  /** Every suggestion of the batch answered: the view says what they added and what to do next. */
  readonly done = $derived(this.items.length > 0 && this.answered.size === this.items.length);
  readonly counts = $derived.by(() => {
    const c: Record<SuggestionAnswerKind, number> = { accept: 0, swap: 0, reject: 0 };
    for (const a of this.answered.values()) c[a.answer]++;
    return c;
  });
  secondsPerTriplet = $state<number | null>(null);
  /** "Train again" once a batch is answered: a run with the latest run's options, compared like for like. */
  readonly retrain = new Retrain();

  /** The view shows project `dir`: a batch of another project (or of none) is dropped. */
  bindTo(dir: string | null): void {
    if (dir === this.dir) return;
    this.dir = dir;
    this.items = [];
    this.answered = new Map();
    this.undoneAnswers = new Map();
    this.result = null;
    this.index = 0;
    this.loaded = false;
    this.error = null;
    this.status = '';
    this.times = [];
    this.secondsPerTriplet = null;
    this.retrain.outcome = null;
  }

  answerOf(s: SuggestedTriplet | undefined): Answered | undefined {
    return s ? this.answered.get(keyOf(s)) : undefined;
  }

  /** A new batch (the answered ones never come back: they are stored or rejected). */
  async load(count = 100): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const r = await call('suggest', { count });
      this.result = r;
      this.error = null;
      this.retrain.outcome = null;
      this.items = r.suggestions;
      this.answered = new Map();
      this.undoneAnswers = new Map();
      this.index = 0;
      this.times = [];
      this.secondsPerTriplet = null;
      this.status = r.suggestions.length ? `${r.suggestions.length} suggestions ${suggestionSource(r.runId, r.suggestions.map((x) => x.reason))}.` : '';
    } catch (err) {
      this.error = toApiError(err);
      // With a batch on screen the page keeps it; the failure is said on its own.
      if (this.items.length && this.error.code !== 'CANCELLED') toasts.error(err, 'Could not get suggestions');
    } finally {
      this.loading = false;
      this.loaded = true;
    }
  }

  /** Trains a new run with run `runId`'s options on the labels as they are now (the answers included). */
  async trainAgain(runId: number): Promise<void> {
    try {
      const run = (await call('runs', {})).find((r) => r.id === runId);
      if (!run) throw new Error(`Run ${runId} no longer exists.`);
      await this.retrain.start(run);
    } catch (err) {
      toasts.error(err, 'Training did not finish');
    }
  }

  async cancel(): Promise<void> {
    if (this.job) await jobs.cancel(this.job.jobId);
  }

  async answer(kind: SuggestionAnswerKind): Promise<void> {
    const s = this.current;
    if (!s || this.busy || this.answerOf(s) || project.refusesWrites()) return;
    this.busy = true;
    try {
      const t = await call('answerSuggestion', { anchorId: s.anchorId, positiveId: s.positiveId, negativeId: s.negativeId, answer: kind, reason: s.reason });
      this.answered = new Map(this.answered).set(keyOf(s), { answer: kind, tripletId: t?.id ?? null });
      this.tick();
      this.status = `${ANSWER_WORDS[kind]}${t ? ` → train triplet #${t.id} · Ctrl+Z to undo` : ' · not suggested again · Ctrl+Z to undo'}`;
      this.nextOpen();
    } catch (err) {
      this.status = '';
      toasts.error(err, 'Could not save the answer');
    } finally {
      this.busy = false;
    }
  }

  /** Pace: mean seconds between answers over the last 20. */
  private tick(): void {
    this.times.push(performance.now());
    const t = this.times.slice(-21);
    this.secondsPerTriplet = t.length > 1 ? (t.at(-1)! - t[0]) / 1000 / (t.length - 1) : null;
  }

  /**
   * Moves to the next suggestion not answered yet, wrapping round to ones skipped earlier (J) so none
   * is left behind unseen; stays put when every one is answered.
   */
  private nextOpen(): void {
    const n = this.items.length;
    for (let k = 1; k < n; k++) {
      const i = (this.index + k) % n;
      if (this.answerOf(this.items[i])) continue;
      if (i < this.index) this.status += ` · back to suggestion ${i + 1}, skipped earlier`;
      this.index = i;
      return;
    }
  }

  move(step: number): void {
    this.index = Math.max(0, Math.min(this.items.length - 1, this.index + step));
  }

  /** Answers undone by Ctrl+Z, by suggestion: a redo of the same step answers the card again. */
  private undoneAnswers = new Map<string, Answered>();

  /**
   * Ctrl+Z undid the triplet an accept made, or a rejection: that suggestion is open again and shown.
   * Ctrl+Shift+Z redid it: the card is answered again (left open, A would try to add the triplet twice).
   */
  afterUndoRedo(entry: HistoryEntry, undone: boolean): void {
    const q = entry.suggestion;
    const sameRejection = (s: SuggestedTriplet) => !!q && s.anchorId === q.anchorId && Math.min(s.positiveId, s.negativeId) === q.lo && Math.max(s.positiveId, s.negativeId) === q.hi;
    if (undone) {
      const i = q ? this.items.findIndex(sameRejection) : entry.tripletId === null ? -1 : this.items.findIndex((s) => this.answerOf(s)?.tripletId === entry.tripletId);
      if (i < 0) return;
      const key = keyOf(this.items[i]);
      const next = new Map(this.answered);
      const was = next.get(key);
      next.delete(key);
      if (was) this.undoneAnswers.set(key, was);
      this.answered = next;
      this.index = i;
      this.status = `Undone: suggestion ${i + 1} is open again.`;
      return;
    }
    const i = q
      ? this.items.findIndex(sameRejection)
      : entry.tripletId === null
        ? -1
        : this.items.findIndex((s) => this.undoneAnswers.get(keyOf(s))?.tripletId === entry.tripletId);
    if (i < 0) return;
    const key = keyOf(this.items[i]);
    const was = this.undoneAnswers.get(key);
    if (!was || this.answered.has(key)) return;
    this.undoneAnswers.delete(key);
    this.answered = new Map(this.answered).set(key, was);
    this.status = `Redone: suggestion ${i + 1} is ${ANSWER_WORDS[was.answer].toLowerCase()} again.`;
    if (this.index === i) this.nextOpen();
  }
}

/** The Suggest view's state, one per open project (SuggestView binds it); undo and redo reach it from any view. */
export const suggestPage = new SuggestPage();
undo.onApplied((entry, undone) => suggestPage.afterUndoRedo(entry, undone));
