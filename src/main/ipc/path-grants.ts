// Where requests may write. A request that writes a file or creates a folder (exportTriplets,
// exportRun, createProject) may only target a path the user picked in this session — a native dialog's
// answer, or a path typed into the browser-mode dialog and confirmed through pickFolder/pickFile
// with `typed` — or, for exports, a path inside the open project. Anything else is refused with
// FORBIDDEN, so a caller that got hold of the API cannot write files anywhere on the machine.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { RequestName } from '../../shared/ipc.js';

/** Requests that write, and which arguments name targets (each one given is checked). */
const WRITE_TARGETS: Partial<Record<RequestName, { args: string[]; underProject: boolean }>> = {
  exportTriplets: { args: ['file'], underProject: true },
  // An .npy's names file (FILE.names.txt) is written beside the picked FILE.
  exportRun: { args: ['onnx', 'tfjs', 'encodings'], underProject: true },
  createProject: { args: ['dir'], underProject: false },
};

/** `child` is `parent` itself or inside it. */
function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `child` is inside `parent` on the drive too: the nearest existing folder on its way, links
 * followed, is inside the project's real folder (a project someone else made could hold an
 * `exports` link to any folder of yours, and the writes would land there).
 */
function reallyInside(parent: string, child: string): boolean {
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

export class PathGrants {
  private readonly picked = new Set<string>();

  /** Records a path the user picked or confirmed; returns it absolute. */
  grant(path: string): string {
    const abs = resolve(path);
    this.picked.add(abs);
    return abs;
  }

  has(path: string): boolean {
    return this.picked.has(resolve(path));
  }

  /** Throws FORBIDDEN when `name` writes to a path that was neither picked nor under the project. */
  check(name: RequestName, args: unknown, projectDir: string | null): void {
    const rule = WRITE_TARGETS[name];
    if (!rule) return;
    for (const arg of rule.args) {
      const target = (args as Record<string, unknown>)[arg];
      if (typeof target !== 'string') continue; // absent, or the schema already refused it
      const abs = resolve(target);
      if (this.picked.has(abs)) continue;
      if (rule.underProject && projectDir && reallyInside(resolve(projectDir), abs)) continue;
      const dialog = arg === 'dir' || arg === 'tfjs' ? 'folder' : 'file';
      throw new AppError(
        'FORBIDDEN',
        `${name}: refused to write to ${abs}: choose it in the ${dialog} dialog first` +
          `${rule.underProject ? ' (or write inside the project folder)' : ''}. Only paths picked in this session are written.`,
        { request: name, path: abs, arg },
      );
    }
  }

  /** Whether `name` needs the open project's folder to be checked. */
  static needsProject(name: RequestName): boolean {
    return WRITE_TARGETS[name]?.underProject === true;
  }
}

/**
 * A typed path as the user meant it: `~` and `~/x` under the home folder, anything else absolute.
 * A relative path is refused (it would resolve against the app's own folder: "myproject" once made
 * a project inside the app).
 */
export function absoluteOrRefuse(path: string): string {
  const p = path.trim();
  if (p === '~') return homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(homedir(), p.slice(2));
  if (!isAbsolute(p)) {
    const example = sep === '/' ? '/home/me/photos' : 'C:\\Users\\me\\photos';
    throw new AppError('BAD_ARGUMENTS', `"${p}" is not a full path: type one that starts at the top, like ${example} (or ~/photos for your home folder).`, { path: p });
  }
  return normalize(p);
}
