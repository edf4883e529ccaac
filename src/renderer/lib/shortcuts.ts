// Keyboard shortcuts, listed once for the "?" overlay and checked by the views.
export interface Shortcut {
  keys: string[];
  what: string;
}

export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Everywhere',
    items: [
      { keys: ['?'], what: 'Show or hide this help' },
      { keys: ['1…5'], what: 'Go to Projects, Library, Triplets, Train, Review (also with Ctrl)' },
      { keys: ['Ctrl', 'Z'], what: 'Undo the last triplet edit' },
      { keys: ['Ctrl', 'Shift', 'Z'], what: 'Redo' },
      { keys: ['Esc'], what: 'Close a dialog or panel' },
    ],
  },
  {
    group: 'Library',
    items: [{ keys: ['/'], what: 'Search images by name' }],
  },
  {
    group: 'Triplets',
    items: [
      { keys: ['J', '↓'], what: 'Next triplet' },
      { keys: ['K', '↑'], what: 'Previous triplet' },
      { keys: ['S'], what: 'Swap positive and negative' },
      { keys: ['M'], what: 'Move to the other split' },
      { keys: ['X'], what: 'Exclude or include' },
      { keys: ['Del'], what: 'Delete triplet' },
      { keys: ['N'], what: 'New triplet' },
    ],
  },
  {
    group: 'Review',
    items: [
      { keys: ['W'], what: 'Labels wrong: swap positive and negative' },
      { keys: ['A'], what: 'Ambiguous: exclude from training and test' },
      { keys: ['K'], what: 'Model wrong: keep the labels' },
      { keys: ['→', 'J'], what: 'Next mistake' },
      { keys: ['←'], what: 'Previous mistake' },
    ],
  },
];

/** True when a key press belongs to a text field, so single-letter shortcuts must not fire. */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** A plain key press (no Ctrl/Cmd/Alt) outside text fields and dialogs. */
export function plainKey(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e) && !document.querySelector('[aria-modal="true"]');
}
