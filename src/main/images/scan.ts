// Lists the files under an image folder: recursive, hidden files and folders skipped, stable order.
// Entries that cannot be imported are reported, never dropped silently: a file or folder name that is
// not valid UTF-8 (no string path can name it) and a subfolder that cannot be read; the rest is listed.
// A Triplet Studio project inside the folder (or the folder itself being one) keeps its own files out:
// its database and the folders the app fills (thumbs/ …) are reported as skipped, not imported —
// importing a project's thumbnails added a copy of every photo, and more at each import.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { SkippedFile } from '../../shared/types.js';
import { DB_FILE, isDbFile, PROJECT_FOLDERS } from '../../shared/project-layout.js';

export interface ScannedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root with '/' separators, as on disk (not normalised). */
  name: string;
  bytes: number;
  mtimeMs: number;
  /** The file's number on its drive and its change time: with size and mtime, whether it is the file last read (identity.ts skipUnread). */
  ino: number;
  ctimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: SkippedFile[];
}

/** The file-system calls the scan makes (replaceable in tests to simulate errors root cannot get). */
export interface ScanFs {
  readdir(dir: string): Promise<{ name: Buffer; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }[]>;
  stat(path: string): Promise<FileStat>;
}

type FileStat = { isFile(): boolean; size: number; mtimeMs: number; ino: number; ctimeMs: number };

const realFs: ScanFs = {
  readdir: (dir) => readdir(dir, { withFileTypes: true, encoding: 'buffer' }) as never,
  stat: (path) => stat(path),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A long scan (a home folder picked by mistake, a network share) shows what it found so far and stops on cancel. */
export interface ScanHooks {
  /** Checked at every folder: a cancel stops the scan with an AbortError. */
  signal?: AbortSignal;
  /** Files found so far, after each folder (the caller's progress reporter throttles). */
  onFound?: (files: number) => void;
}

export async function scanFolder(root: string, fs: ScanFs = realFs, hooks: ScanHooks = {}): Promise<ScanResult> {
  const out: ScanResult = { files: [], skipped: [] };
  // The root itself must be readable: that is an error, not a skip.
  const entries = await fs.readdir(root);
  await walk(root, root, entries, out, fs, hooks);
  out.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** A name's text, or null when its bytes are not UTF-8 (a string path would name another file). */
function decodeName(raw: Buffer): string | null {
  try {
    return utf8.decode(raw);
  } catch {
    return null;
  }
}

/** A readable stand-in for an undecodable name: ASCII kept, every other byte as \xNN. */
export function displayName(raw: Buffer): string {
  return raw.toString('latin1').replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Why an entry of a project folder is not imported, or null when it is the user's (photos kept in a project folder are). */
function projectOwnReason(name: string, isDirectory: boolean): string | null {
  if (isDirectory && Object.hasOwn(PROJECT_FOLDERS, name)) return `a Triplet Studio project's ${PROJECT_FOLDERS[name as keyof typeof PROJECT_FOLDERS]} (the app's own files, not photos)`;
  if (!isDirectory && isDbFile(name)) return "a Triplet Studio project's database";
  return null;
}

async function walk(root: string, dir: string, entries: Awaited<ReturnType<ScanFs['readdir']>>, out: ScanResult, fs: ScanFs, hooks: ScanHooks): Promise<void> {
  hooks.signal?.throwIfAborted();
  const isProject = entries.some((e) => !e.isDirectory() && decodeName(e.name) === DB_FILE);
  for (const entry of entries) {
    const name = decodeName(entry.name);
    if (name === null) {
      const kind = entry.isDirectory() ? 'folder' : 'file';
      out.skipped.push({ path: join(dir, displayName(entry.name)), reason: `${kind} name is not valid UTF-8 (rename it to import)` });
      continue;
    }
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const own = isProject ? projectOwnReason(name, entry.isDirectory()) : null;
    if (own) {
      out.skipped.push({ path, reason: own });
      continue;
    }
    if (entry.isDirectory()) {
      let children: Awaited<ReturnType<ScanFs['readdir']>>;
      try {
        children = await fs.readdir(path);
      } catch (err) {
        out.skipped.push({ path, reason: `folder could not be read (${errorCode(err)})` });
        continue;
      }
      await walk(root, path, children, out, fs, hooks);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const file = await statFile(path, entry.isSymbolicLink(), fs);
      if ('reason' in file) out.skipped.push({ path, reason: file.reason });
      else out.files.push({ path, name: relative(root, path).split(sep).join('/'), bytes: file.size, mtimeMs: file.mtimeMs, ino: file.ino, ctimeMs: file.ctimeMs });
    } else out.skipped.push({ path, reason: 'not a regular file' });
  }
  hooks.onFound?.(out.files.length);
}

/** Size, times and number of a file (following a symbolic link to a file); links to folders are not followed (loops). */
async function statFile(path: string, link: boolean, fs: ScanFs): Promise<FileStat | { reason: string }> {
  try {
    const st = await fs.stat(path);
    if (st.isFile()) return st;
    return { reason: link ? 'symbolic link to a folder (not followed)' : 'not a regular file' };
  } catch (err) {
    return { reason: link ? `broken or looping symbolic link (${errorCode(err)})` : `file could not be read (${errorCode(err)})` };
  }
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}
