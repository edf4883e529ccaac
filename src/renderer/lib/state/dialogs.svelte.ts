// Asking the user for a path: the native dialog when the host has one (Electron); in browser mode
// the folder and file browser (file-browser.svelte.ts); a text field in a modal as the last resort.
import { api, call } from '../api.js';
import { fileBrowser } from './file-browser.svelte.js';
// Every dialog is a Modal (components/Modal.svelte), which registers here while open so the global
// shortcuts stand still behind it.
export { anyModalOpen, registerModal } from '../modals.js';

export interface PathRequest {
  title: string;
  label: string;
  placeholder: string;
  value: string;
  confirm: string;
  resolve: (v: string | null) => void;
}

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
  prompt = $state<PathRequest | null>(null);
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

  /** Shows the text-field modal; resolves with the trimmed path, or null when cancelled. */
  askText(opts: Omit<PathRequest, 'resolve' | 'value'> & { value?: string }): Promise<string | null> {
    this.prompt?.resolve(null);
    return new Promise((resolve) => {
      this.prompt = {
        ...opts,
        value: opts.value ?? '',
        resolve: (v) => {
          this.prompt = null;
          resolve(v && v.trim() ? v.trim() : null);
        },
      };
    });
  }

  async folder(title: string, label = 'Folder path', value = ''): Promise<string | null> {
    if (api.mode === 'browser') return fileBrowser.open(title, 'folder', 'Choose');
    const picked = await call('pickFolder', { title });
    if (picked) return picked;
    const typed = await this.askText({ title, label, placeholder: '/home/me/photos', confirm: 'Choose', value });
    // The typed path is the user's pick: the main side records it (writes go only to picked paths).
    return typed ? call('pickFolder', { title, typed }) : null;
  }

  async file(title: string, save = false, value = ''): Promise<string | null> {
    if (api.mode === 'browser') return fileBrowser.open(title, save ? 'save' : 'file', save ? 'Save' : 'Open');
    const picked = await call('pickFile', { title, save });
    if (picked) return picked;
    const typed = await this.askText({
      title,
      label: save ? 'Save to file path' : 'File path',
      placeholder: save ? '/home/me/triplets/test.txt' : '/home/me/triplets/train.txt',
      confirm: save ? 'Save' : 'Open',
      value,
    });
    return typed ? call('pickFile', { title, save, typed }) : null;
  }
}

export const dialogs = new Dialogs();
