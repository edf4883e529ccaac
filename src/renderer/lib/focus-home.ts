// Where focus goes when it would fall to the page: the shown view's heading. Focus falls to the page
// when the focused control is disabled (Train while a run starts, a button during an undo) or taken
// out (a list row deleted, a view replaced by another); a keyboard user would then start again from
// the top of the window, and a screen reader would say nothing.

/** Focuses the shown view's heading (focusable by script only); false when there is none. */
export function focusViewHeading(doc: Document = document): boolean {
  const heading = doc.querySelector<HTMLElement>('main .view h1');
  if (!heading) return false;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  return true;
}

/** Focus is on nothing (the page itself): no control of a dialog or view has it. */
const lost = (doc: Document): boolean => !doc.activeElement || doc.activeElement === doc.body;

/**
 * Brings focus back to the view's heading whenever the control that had it is disabled or removed.
 * Dialogs keep their own focus (Modal.svelte). Returns the stop function.
 */
export function keepFocusInView(doc: Document = document): () => void {
  let last: HTMLElement | null = null;
  // Noted when focus arrives: a control taken out of a dialog no longer has the dialog above it.
  let lastInDialog = false;
  const onFocusIn = (e: FocusEvent) => {
    last = e.target as HTMLElement | null;
    lastInDialog = !!last?.closest?.('[role="dialog"]');
  };
  doc.addEventListener('focusin', onFocusIn);
  const observer = new MutationObserver(() => {
    // An open dialog keeps the focus itself (Modal.svelte): focus moved out of it would lose its keys (Esc).
    if (!last || !lost(doc) || lastInDialog || doc.querySelector('[aria-modal="true"]')) return;
    if (!last.isConnected || (last as HTMLButtonElement).disabled) {
      last = null;
      focusViewHeading(doc);
    }
  });
  observer.observe(doc.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  return () => {
    doc.removeEventListener('focusin', onFocusIn);
    observer.disconnect();
  };
}
