// Asking the user for a path: the native dialog in the desktop app (the only way a path is picked
// there); in browser mode the folder and file browser (file-browser.svelte.ts).
import { api, call } from '../api.js';
import { fileBrowser } from './file-browser.svelte.js';
// Every dialog is a Modal (components/Modal.svelte), which registers here while open so the global
// shortcuts stand still behind it.
export { anyModalOpen, registerModal } from '../modals.js';

/** A yes-or-no question before an action with a cost (ConfirmDialog.svelte shows it). */
export interface Question {
  title: string;
  text: string;
  /** The button that goes on (e.g. "Stop and open"); the other one keeps things as they are. */
  confirm: string;
  cancel: string;
  resolve: (yes: boolean) => void;
}

class Dialogs {
  question = $state<Question | null>(null);

  /** Asks a question; resolves true for the confirm button, false for the other one or Escape. */
  ask(q: Omit<Question, 'resolve'>): Promise<boolean> {
    this.question?.resolve(false);
    return new Promise((resolve) => {
      this.question = {
        ...q,
        resolve: (yes) => {
          this.question = null;
          resolve(yes);
        },
      };
    });
  }

  /**
   * `_label`: what the folder is for (the callers' words; the dialogs show `title`). `write`: the folder
   * will be written into (a new project, an export); a folder picked only to read from (images to
   * import) is never written by the main side.
   */
  async folder(title: string, _label = 'Folder path', value = '', write = false): Promise<string | null> {
    if (api.mode === 'browser') return fileBrowser.open(title, 'folder', 'Choose', write);
    // The desktop app's own dialog is the only way a path is picked there (a cancel is a cancel):
    // the main side grants no typed path it did not show in that dialog (ipc/dispatch.ts).
    return call('pickFolder', { title, ...(value ? { typed: value } : {}), ...(write ? { write } : {}) });
  }

  async file(title: string, save = false, value = ''): Promise<string | null> {
    if (api.mode === 'browser') return fileBrowser.open(title, save ? 'save' : 'file', save ? 'Save' : 'Open');
    return call('pickFile', { title, save, ...(value ? { typed: value } : {}) });
  }
}

export const dialogs = new Dialogs();
