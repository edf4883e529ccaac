// Browser mode's folder and file browser (there is no native dialog in a plain browser): it starts
// at the last folder used (else the home folder), lists a folder through the main side's listDir,
// filters as you type and completes with Tab, refuses relative paths with a clear message, asks
// before replacing a file, and hands the choice to pickFolder/pickFile so the main side records it
// as picked (writes go only to picked paths).
import type { DirEntry, DirListing } from '../../../shared/types.js';
import { call, toApiError } from '../api.js';

export type BrowseMode = 'folder' | 'file' | 'save';

export interface BrowseRequest {
  title: string;
  mode: BrowseMode;
  confirm: string;
  /** A folder to write into (pickFolder's `write`). */
  write: boolean;
  resolve: (path: string | null) => void;
}

/** Full paths only: POSIX `/…`, `~`, Windows `C:\…` or `\\server\…`. */
export function looksAbsolute(p: string): boolean {
  return p.startsWith('/') || p === '~' || p.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** The folder part (up to and including the last separator) and the name being typed after it. */
export function splitTyped(text: string, sep: string): { dir: string; filter: string } {
  if (text === '~') return { dir: '~', filter: '' };
  const i = Math.max(text.lastIndexOf(sep), sep === '\\' ? text.lastIndexOf('/') : -1);
  return i < 0 ? { dir: '', filter: text } : { dir: text.slice(0, i + 1), filter: text.slice(i + 1) };
}

/** Longest common start of the names (case-sensitive, as the file system is). */
export function commonPrefix(names: string[]): string {
  if (names.length === 0) return '';
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

class FileBrowser {
  request = $state<BrowseRequest | null>(null);
  text = $state('');
  listing = $state.raw<DirListing | null>(null);
  error = $state<string | null>(null);
  hidden = $state(false);
  /** A save target that exists: the dialog asks before replacing it. */
  replace = $state<string | null>(null);
  busy = $state(false);
  /** False from opening until the field shows the starting folder, a later listing is in, or the user typed. */
  ready = $state(false);
  private lastDir: string | null = null;
  private loadedDir: string | null = null;
  private seq = 0;

  get sep(): string {
    return this.listing?.sep ?? '/';
  }

  /** Entries of the listed folder whose name starts with what is typed after the last separator. */
  get shown(): DirEntry[] {
    if (!this.listing) return [];
    const { filter } = splitTyped(this.text, this.sep);
    const f = filter.toLowerCase();
    return this.listing.entries.filter((e) => (this.request?.mode === 'folder' ? e.kind === 'dir' : true) && e.name.toLowerCase().startsWith(f));
  }

  open(title: string, mode: BrowseMode, confirm: string, write = false): Promise<string | null> {
    this.request?.resolve(null);
    this.error = null;
    this.replace = null;
    return new Promise((resolve) => {
      this.request = {
        title,
        mode,
        confirm,
        write,
        resolve: (v) => {
          this.request = null;
          resolve(v);
        },
      };
      this.loadedDir = null;
      this.text = '';
      this.ready = false;
      void this.load(this.lastDir ?? '', true);
    });
  }

  /** Lists `dir` ('' = home); with `setText`, the field shows it. */
  async load(dir: string, setText = false): Promise<void> {
    const seq = ++this.seq;
    try {
      const listing = await call('listDir', dir ? { path: dir, hidden: this.hidden } : { hidden: this.hidden });
      if (seq !== this.seq) return;
      this.listing = listing;
      this.loadedDir = dir;
      this.error = null;
      // The starting folder fills the field unless the user has typed in it meanwhile.
      if (setText && !this.ready) this.text = this.withSep(listing.path);
    } catch (err) {
      if (seq !== this.seq) return;
      this.error = toApiError(err).message;
      this.loadedDir = dir;
    } finally {
      // The latest listing is in (or failed): the dialog has settled.
      if (seq === this.seq) this.ready = true;
    }
  }

  private withSep(path: string): string {
    return path.endsWith(this.sep) ? path : path + this.sep;
  }

  /** The field changed: list the folder it names (once per folder), filter by the rest. */
  typed(value: string): void {
    this.text = value;
    this.ready = true;
    this.replace = null;
    const t = value.trim();
    if (t && !looksAbsolute(t)) {
      this.error = `"${t}" is not a full path: start at the top, like ${this.sep === '/' ? '/home/me' : 'C:\\Users\\me'} (or ~ for your home folder).`;
      return;
    }
    const { dir } = splitTyped(t, this.sep);
    if (dir && dir !== this.loadedDir) void this.load(dir);
    else if (dir === this.loadedDir && this.listing) this.error = null;
  }

  toggleHidden(): void {
    this.hidden = !this.hidden;
    if (this.listing) void this.load(this.listing.path);
  }

  /** A click on an entry: a folder opens, a file becomes the choice. */
  pick(e: DirEntry): void {
    if (!this.listing) return;
    const full = this.withSep(this.listing.path) + e.name;
    this.replace = null;
    if (e.kind === 'dir') {
      this.text = this.withSep(full);
      void this.load(full);
    } else this.text = full;
  }

  up(): void {
    if (!this.listing?.parent) return;
    this.text = this.withSep(this.listing.parent);
    void this.load(this.listing.parent);
  }

  /** Tab: completes the typed name to what the matching entries share (a lone folder is entered). */
  complete(): boolean {
    const matches = this.shown;
    if (!this.listing || matches.length === 0) return false;
    const before = this.text;
    const { dir, filter } = splitTyped(this.text, this.sep);
    const prefix = commonPrefix(matches.map((m) => m.name));
    if (matches.length === 1) this.pick(matches[0]);
    else if (prefix.length > filter.length) this.text = dir + prefix;
    // Nothing left to complete: Tab moves on to the list and the buttons (no keyboard trap).
    return this.text !== before;
  }

  /** OK: checks the path, asks before replacing a file, then records it as the user's pick. */
  async accept(): Promise<void> {
    const req = this.request;
    if (!req) return;
    let path = this.text.trim();
    if (req.mode === 'folder' && path.length > 1 && /[\\/]$/.test(path) && !/^[A-Za-z]:[\\/]$/.test(path)) path = path.slice(0, -1);
    if (!path) return;
    if (!looksAbsolute(path)) {
      this.error = `"${path}" is not a full path: start at the top, like ${this.sep === '/' ? '/home/me' : 'C:\\Users\\me'} (or ~ for your home folder).`;
      return;
    }
    this.busy = true;
    try {
      if (req.mode !== 'folder') {
        const info = await call('pathInfo', { path });
        if (info.kind === 'dir') return void (this.error = `${info.path} is a folder: choose a file${req.mode === 'save' ? ' name' : ''}.`);
        if (req.mode === 'file' && !info.exists) return void (this.error = `${info.path} does not exist.`);
        if (req.mode === 'save' && info.exists && this.replace !== info.path) return void (this.replace = info.path);
      }
      const granted =
        req.mode === 'folder'
          ? await call('pickFolder', { title: req.title, typed: path, ...(req.write ? { write: true } : {}) })
          : await call('pickFile', { title: req.title, typed: path, ...(req.mode === 'save' ? { save: true } : {}) });
      if (!granted) return;
      this.lastDir = this.listing?.path ?? null;
      req.resolve(granted);
    } catch (err) {
      this.error = toApiError(err).message;
    } finally {
      this.busy = false;
    }
  }

  cancel(): void {
    this.request?.resolve(null);
  }
}

export const fileBrowser = new FileBrowser();
