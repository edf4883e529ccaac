// Which modal dialogs are open. Modal.svelte registers itself while mounted; the global shortcuts
// (shortcuts.ts) ask here instead of searching the page, so a dialog gates them exactly while shown.
// Plain TypeScript (no runes): it is read at key-press time, and node tests import shortcuts.ts.
const open = new Set<symbol>();

/** Marks a dialog open; call the returned function when it closes. */
export function registerModal(): () => void {
  const id = Symbol('modal');
  open.add(id);
  return () => open.delete(id);
}

export function anyModalOpen(): boolean {
  return open.size > 0;
}
