// Shared types: the browser-mode folder and file browser (listDir) and path checks (pathInfo).
// No runtime imports: the renderer and the preload bundle it.

export interface DirEntry {
  name: string;
  kind: 'dir' | 'file' | 'other';
  /** Bytes, files only. */
  size?: number;
}

export interface DirListing {
  /** The folder listed, absolute and normalised. */
  path: string;
  /** Its parent, null at a root. */
  parent: string | null;
  /** The user's home folder (where the browser starts). */
  home: string;
  /** Folders first, then files, each by name; hidden ones only when asked. */
  entries: DirEntry[];
  /** Entries left out because the listing is capped. */
  truncated: number;
  /** Path separator of the machine the files are on ('/' or '\\'). */
  sep: string;
}

export interface PathInfo {
  path: string;
  exists: boolean;
  kind: 'dir' | 'file' | 'other' | null;
  /** Folders only: whether it holds nothing (an export into it replaces nothing). */
  empty?: boolean;
}
