// Keyboard shortcuts, listed once for the "?" overlay and checked by the views.
import { anyModalOpen } from './modals.js';
export interface Shortcut {
  keys: string[];
  what: string;
}

export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Everywhere',
    items: [
      { keys: ['?'], what: 'Show or hide this help' },
      { keys: ['1…8'], what: 'Go to Projects, Library, Triplets, Train, Review, Map, Suggest, Audit (also with Ctrl)' },
      { keys: ['Ctrl', 'Z'], what: 'Undo the last edit (Library, Triplets, Review, Map, Suggest and Audit; not while a dialog is open)' },
      { keys: ['Ctrl', 'Shift', 'Z'], what: 'Redo (also Ctrl+Y)' },
      { keys: ['Esc'], what: 'Close a dialog or panel' },
    ],
  },
  {
    // The one keymap of every list (Triplets, Review, Audit, Suggest): each view lists what the keys mean there.
    group: 'Every list',
    items: [
      { keys: ['J', '↓'], what: 'Next' },
      { keys: ['K', '↑'], what: 'Previous' },
      { keys: ['A'], what: 'The labels are right as shown (keep / accept)' },
      { keys: ['S'], what: 'Swap positive and negative' },
      { keys: ['X'], what: 'Exclude or reject' },
      { keys: ['M'], what: 'Move to the other split' },
      { keys: ['Del'], what: 'Delete' },
      { keys: ['N'], what: 'New triplet' },
      { keys: ['Esc'], what: 'Close' },
    ],
  },
  {
    group: 'Library',
    items: [
      { keys: ['/'], what: 'Search images by name' },
      { keys: ['←', '→', '↑', '↓'], what: 'Select the next image in the grid' },
      { keys: ['Enter'], what: 'View the selected image full size (←/→ step, Esc closes)' },
      { keys: ['Ctrl+click'], what: 'Mark or unmark an image (Shift+click: a range)' },
      { keys: ['Delete'], what: 'Remove the marked images, else the selected one, from the project (Backspace too; asks first; Ctrl+Z brings them back)' },
    ],
  },
  {
    group: 'Triplets',
    items: [
      { keys: ['J', '↓'], what: 'Next triplet' },
      { keys: ['K', '↑'], what: 'Previous triplet' },
      { keys: ['S'], what: 'Swap positive and negative' },
      { keys: ['M'], what: 'Move to the other split' },
      { keys: ['X'], what: 'Exclude or include' },
      { keys: ['Del'], what: 'Delete triplet (Backspace too; Ctrl+Z brings it back)' },
      { keys: ['N'], what: 'New triplet (in the maker: / searches the images)' },
      { keys: ['Ctrl', 'Enter'], what: 'In the maker: create the triplet (a picked image clicked again is unpicked)' },
      { keys: ['Esc'], what: 'Back to the list from the maker (its picks are kept) or a replacement' },
    ],
  },
  {
    group: 'Review',
    items: [
      { keys: ['A'], what: 'Model wrong: keep the labels' },
      { keys: ['S'], what: 'Labels wrong: swap positive and negative' },
      { keys: ['X'], what: 'Ambiguous: exclude from training and test' },
      { keys: ['J', '↓'], what: 'Next mistake' },
      { keys: ['K', '↑'], what: 'Previous mistake' },
    ],
  },
  {
    group: 'Suggest',
    items: [
      { keys: ['A'], what: 'Accept as shown (a new train triplet)' },
      { keys: ['S'], what: 'Accept with positive and negative swapped' },
      { keys: ['X'], what: 'Reject (never suggested again)' },
      { keys: ['J', '↓'], what: 'Skip to the next suggestion' },
      { keys: ['K', '↑'], what: 'Back to the previous suggestion' },
      { keys: ['Ctrl', 'Z'], what: 'Undo the last answer (a change made from the command line asks first)' },
    ],
  },
  {
    group: 'Audit',
    items: [
      { keys: ['A'], what: 'Labels right: keep (sinks on the next audit)' },
      { keys: ['S'], what: 'Swap positive and negative' },
      { keys: ['X'], what: 'Exclude from training' },
      { keys: ['J', '↓'], what: 'Next suspect' },
      { keys: ['K', '↑'], what: 'Previous suspect' },
    ],
  },
  {
    group: 'Map',
    items: [
      { keys: ['Shift', 'drag'], what: 'Lasso: select the points inside (Ctrl+Shift adds to the selection)' },
      { keys: ['drag'], what: 'Pan; the wheel zooms around the cursor' },
      { keys: ['←', '→', '↑', '↓'], what: 'On the focused map (Tab to it): pan; + and − zoom, 0 fits' },
      { keys: ['Enter'], what: 'On a colour of the legend: select its images (Ctrl adds)' },
      { keys: ['Enter'], what: 'Show the selection in the Library' },
      { keys: ['N'], what: 'Make triplets from the selection' },
      { keys: ['Esc'], what: 'Clear the selection' },
    ],
  },
];

/** True when a key press belongs to a text field, so single-letter shortcuts must not fire. */
export function isTyping(e: KeyboardEvent): boolean {
  return isTextTarget(e.target);
}

/** A text field (or a select) that handles keys itself, Ctrl+Z included. */
/** Input types that take no typed text. */
const NOT_TYPED = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image']);

export function isTextTarget(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  if (!t || typeof t.tagName !== 'string') return false;
  // A clicked checkbox, radio, slider or button keeps the focus but takes no letters: the keys stay the app's.
  if (t.tagName === 'INPUT') return !NOT_TYPED.has(((t as HTMLInputElement).type || 'text').toLowerCase());
  return !!t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** Controls with a meaning of their own for Enter (a focused heading or the page has none). */
const CONTROL = 'button, a[href], input, select, textarea, summary, [role="button"], [role="option"], [role="radio"], [role="tab"], [role="link"]';

/** Enter on `target` means that control, unless it is inside `inside` (the grid or map the key is about). */
export function onOtherControl(target: EventTarget | null, inside: string): boolean {
  const t = target as HTMLElement | null;
  return !!t && typeof t.matches === 'function' && t.matches(CONTROL) && !t.closest(inside);
}

/** True while a modal dialog (path prompt, help, import/export) is open: each registers itself (Modal.svelte). */
export function modalOpen(): boolean {
  return anyModalOpen();
}

/** Views whose edits the history shortcuts undo: there the change is in front of the user (Library, Map: a removal of images). */
export const HISTORY_VIEWS: readonly string[] = ['library', 'triplets', 'review', 'map', 'suggest', 'audit'];

/** Ctrl+Z → undo; Ctrl+Shift+Z and Ctrl+Y → redo (Cmd on macOS); anything else → null. */
export function historyKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  return k === 'y' && !e.shiftKey ? 'redo' : null;
}

/**
 * Who gets an undo/redo request (shortcut or menu): a focused text field keeps the browser's own
 * text undo, an open dialog blocks it, other views leave it alone; only then the triplet history.
 */
export type HistoryGate = 'history' | 'text' | 'dialog' | 'view';
export function historyGate(ctx: { target: EventTarget | null; modalOpen: boolean; view: string }): HistoryGate {
  if (isTextTarget(ctx.target)) return 'text';
  if (ctx.modalOpen) return 'dialog';
  return HISTORY_VIEWS.includes(ctx.view) ? 'history' : 'view';
}

/** A plain key press (no Ctrl/Cmd/Alt) outside text fields and dialogs. */
export function plainKey(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e) && !modalOpen();
}
