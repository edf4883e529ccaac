// Application-menu commands (Electron's menu sends menu:command): each maps to the view that
// handles it, which reads `pending` when it mounts or while it is shown.
import type { MenuCommand } from '../../../shared/ipc.js';
import { historyGate, modalOpen } from '../shortcuts.js';
import { nav } from './nav.svelte.js';
import { project } from './project.svelte.js';
import { undo } from './undo.svelte.js';

class Menu {
  /** A command waiting for its view to act on it. */
  pending = $state<MenuCommand | null>(null);
  /** The folder of a pending 'open-recent'. */
  recentDir: string | null = null;

  take(cmds: MenuCommand[]): MenuCommand | null {
    const c = this.pending;
    if (c && cmds.includes(c)) {
      this.pending = null;
      return c;
    }
    return null;
  }
}

export const menu = new Menu();

export function menuCommand(command: MenuCommand, dir?: string): void {
  if (command === 'undo' || command === 'redo') {
    // Same gate as the shortcuts. In a text field the field's own undo: on Windows and Linux the key
    // press did that in the page and never reaches the menu, so this comes from a click on Edit ›
    // Undo, or from Cmd+Z on macOS, where a text field's undo is only ever the Edit menu's.
    const gate = historyGate({ target: document.activeElement, modalOpen: modalOpen(), view: nav.view });
    if (gate === 'history') void undo.run(command);
    else if (gate === 'view') undo.elsewhere();
    else if (gate === 'text') document.execCommand(command);
    return;
  }
  if (command === 'open-recent' && !dir) return;
  menu.recentDir = dir ?? null;
  menu.pending = command;
  // Opening goes through the Projects view, which asks before stopping a running job.
  if (command === 'new-project' || command === 'open-project' || command === 'open-recent') nav.go('projects');
  else if (!project.info) nav.go('projects');
  else if (command === 'import-images' || command === 'remove-images') nav.go('library');
  else if (command === 'export-run') nav.go('train');
  else nav.go('triplets');
}
