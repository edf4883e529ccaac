// Browser mode's folder and file browser, main side: lists one folder (absolute paths only, so a
// relative path can never land inside the app's own folder), folders first, hidden entries only on
// request, and turns permission problems into sentences. Reading a listing grants nothing: what the
// user finally picks still goes through pickFolder/pickFile, the path-grants flow.
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { DirEntry, DirListing } from '../../shared/types.js';
import { absoluteOrRefuse } from '../ipc/path-grants.js';

/** Most entries one listing returns (a folder of 100,000 photos stays a quick reply). */
export const MAX_ENTRIES = 5000;

function describeFsError(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `${path} does not exist.`, { path });
  if (code === 'ENOTDIR') return new AppError('BAD_ARGUMENTS', `${path} is a file, not a folder.`, { path });
  if (code === 'EACCES' || code === 'EPERM') return new AppError('FORBIDDEN', `You do not have permission to open ${path}.`, { path });
  return new AppError('INTERNAL', `Could not list ${path}: ${err instanceof Error ? err.message : String(err)}`, { path });
}

async function entryOf(dir: string, d: import('node:fs').Dirent): Promise<DirEntry> {
  if (d.isDirectory()) return { name: d.name, kind: 'dir' };
  if (d.isFile()) {
    const size = await stat(join(dir, d.name)).then((s) => s.size, () => undefined);
    return size === undefined ? { name: d.name, kind: 'file' } : { name: d.name, kind: 'file', size };
  }
  if (d.isSymbolicLink()) {
    // A link counts as what it points to; a broken one is listed as 'other'.
    const s = await stat(join(dir, d.name)).catch(() => null);
    if (s?.isDirectory()) return { name: d.name, kind: 'dir' };
    if (s?.isFile()) return { name: d.name, kind: 'file', size: s.size };
  }
  return { name: d.name, kind: 'other' };
}

/** Lists `path` (default: the home folder). */
export async function listDir(args: { path?: string; hidden?: boolean }): Promise<DirListing> {
  const home = homedir();
  const path = args.path ? absoluteOrRefuse(args.path) : home;
  let dirents;
  try {
    dirents = await readdir(path, { withFileTypes: true });
  } catch (err) {
    throw describeFsError(path, err);
  }
  const shown = dirents.filter((d) => args.hidden || !d.name.startsWith('.'));
  const kept = shown.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name)).slice(0, MAX_ENTRIES);
  const entries = await Promise.all(kept.map((d) => entryOf(path, d)));
  entries.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || a.name.localeCompare(b.name));
  const parent = dirname(path);
  return { path, parent: parent === path ? null : parent, home, entries, truncated: shown.length - kept.length, sep };
}
