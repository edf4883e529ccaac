// Whether a folder the app writes into inside a project is really there: `received/` or `thumbs/`
// could be links (made by whoever made the project) that lead to any folder of yours, and the app
// would then write there while believing it writes inside the project.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { AppError } from '../../shared/errors.js';

/** True when `dir` is missing (it will be made in place) or, links followed, inside `projectDir`. */
export function staysInside(projectDir: string, dir: string): boolean {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return true; // not there yet: made as a plain folder, in place
  }
  const rel = relative(realpathSync(projectDir), real);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Refuses (FORBIDDEN) to write into `dir` when it is a link leading out of the project. */
export function assertStaysInside(projectDir: string, dir: string, what: string): void {
  if (!staysInside(projectDir, dir)) {
    throw new AppError('FORBIDDEN', `${dir} leads out of the project folder (a link): ${what} is written only inside the project. Replace the link with a plain folder.`, { path: dir });
  }
}
