// What belongs to the project itself and must never be the target of an export: its database (and
// SQLite's -wal, -shm and -journal files beside it), the folders the app fills (thumbs/, models/,
// scratch/) and the project folder as a whole. An export over project.sqlite once replaced every
// label with a triplet file after one "Replace" (or `--force`); now it is refused, whatever was asked.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { DB_FILE, isDbFile } from '../../shared/project-layout.js';

export { DB_FILE };

/** Folders of the project that the app writes and reads back (derived files, run models); exports/ and received/ are the user's. */
const OWN_FOLDERS = ['thumbs', 'models', 'scratch'];

/** The real path when it exists (symlinks followed), else its parent's real path joined with its name. */
function realOrResolved(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realOrResolved(parent), basename(abs));
}

const inside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** What part of the project `target` is, or null when it is none (a path an export may write). */
export function projectPartAt(projectDir: string, target: string): string | null {
  const dir = realOrResolved(projectDir);
  const t = realOrResolved(target);
  if (t === dir) return 'the project folder itself';
  if (dirname(t) === dir && isDbFile(basename(t))) return 'the project database (every label and run)';
  for (const f of OWN_FOLDERS) if (inside(join(dir, f), t)) return `the project's ${f}/ folder, which the app manages`;
  return null;
}

/** Throws FORBIDDEN naming the path and what it is when an export would write over part of the project. */
export function refuseProjectParts(projectDir: string, targets: (string | undefined)[]): void {
  for (const target of targets) {
    if (!target) continue;
    const part = projectPartAt(projectDir, target);
    if (part) throw new AppError('FORBIDDEN', `${resolve(target)} is ${part}; an export never writes there. Choose another file or folder.`, { path: resolve(target) });
  }
}
