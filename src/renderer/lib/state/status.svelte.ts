// One status line per view for keyboard actions (an edit, a review verdict): each new message
// replaces the last, read out by screen readers (aria-live), instead of a stack of toasts.
class Status {
  text = $state('');
  kind = $state<'ok' | 'error' | 'info'>('ok');
  /** Bumped on every message, so the same text twice still shows as new. */
  seq = $state(0);
  /** Status lines on screen (StatusLine counts itself): while one shows, it is what a screen reader reads. */
  shown = 0;

  say(text: string, kind: 'ok' | 'error' | 'info' = 'ok'): void {
    this.text = text;
    this.kind = kind;
    this.seq++;
  }

  clear(): void {
    this.text = '';
  }
}

export const status = new Status();
