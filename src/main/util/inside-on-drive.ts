// Whether a path is inside a folder on the drive too, links followed: a project someone else made
// could hold an `exports`, `received/`, `thumbs/`, `models/` or `scratch/` link to any folder of
// yours, and writes (or the sweeps that remove what a crash left) meant for the project would land there. Shared by the write rules of requests (ipc/path-grants.ts) and
// the folders the app itself writes into inside a project.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';

/** `child` is `parent` itself or inside it (as written, no links followed). */
export function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `child` is inside `parent` on the drive too: the nearest existing folder on its way, links
 * followed, is inside `parent`'s real folder (a path not there yet is made in place).
 */
export function reallyInside(parent: string, child: string): boolean {
  if (!inside(parent, child)) return false;
  try {
    return inside(onDrive(parent), onDrive(child));
  } catch {
    return false;
  }
}

/** The path with links followed as far as it exists (the rest, not there yet, kept as it is). */
function onDrive(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return join(realpathSync(existing), relative(existing, path));
}

/** Refuses (FORBIDDEN) to write into `dir` when it is a link leading out of the project. */
export function assertStaysInside(projectDir: string, dir: string, what: string): void {
  if (!reallyInside(resolve(projectDir), resolve(dir))) {
    throw new AppError('FORBIDDEN', `${dir} leads out of the project folder (a link): ${what} is written only inside the project. Replace the link with a plain folder.`, { path: dir });
  }
}
