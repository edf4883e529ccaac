// Making a folder and its missing parents, as `mkdir -p`. Node's own `{ recursive: true }` never
// returns where a folder exists but a mkdir inside it answers ENOENT, as under /proc: it steps back
// to the parent (EEXIST), forward again (ENOENT), forever, at 100% CPU (sync and async alike; Node
// 20). Paths come from users (a new project, an export), so a typo must not freeze the app: every
// folder the app makes goes through here (the lint refuses `recursive: true` elsewhere).
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';

/** Makes `path` and its missing parents; a folder already there is fine. Other errors are Node's, with their path. */
export function makeDirs(path: string, opts: { mode?: number } = {}): void {
  // Up to the nearest thing that exists (lstat: a dangling link counts as there; mkdir then says why).
  const missing: string[] = [];
  for (let at = resolve(path); !lstatSync(at, { throwIfNoEntry: false }); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  if (!missing.length) {
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) mkdirSync(path); // in the way: Node's EEXIST, with the path
    return;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode: opts.mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue; // made meanwhile
      // Its parent is there (found or just made), yet "no such file": a link whose target is gone (a
      // drive not connected), or a folder that takes no new folders (/proc).
      if (code === 'ENOENT') throw new AppError('FORBIDDEN', `Cannot make the folder ${dir}: ${whyNot(dirname(dir))}`, { path: dir });
      throw err;
    }
  }
}

function whyNot(parent: string): string {
  return statSync(parent, { throwIfNoEntry: false }) ? `${parent} does not take new folders.` : `${parent} is a link to a folder that is not there (a drive not connected?).`;
}
