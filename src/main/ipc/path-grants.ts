// Where requests may read and write. A request that writes a file or creates a folder
// (exportTriplets, exportRun, createProject) may only target a path the user picked to write in this
// session — a save dialog's answer, a folder picked to write into (pickFolder with `write`), or a
// path typed into the browser-mode dialog and confirmed through pickFolder/pickFile with `typed` —
// or, for exports, a path inside the open project. A request that reads a file or folder the user
// names (an import, "try an image", a backbone from disk) needs a path picked in this session (to
// read or write) or one inside the project (a dropped file lands there). Anything else is refused
// with FORBIDDEN: a caller that got hold of the API can neither write files anywhere on the machine
// nor read them, and a file picked to read from never becomes one to write over.
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { RequestName, ServiceArgs } from '../../shared/ipc.js';
import { reallyInside } from '../util/inside-on-drive.js';

export type Access = 'read' | 'write';

/** One path a request names: its argument (for the message), the path, and which dialog picks it. */
interface Target {
  arg: string;
  path: string | undefined;
  dialog: 'file' | 'folder';
}

/**
 * How a request uses paths. `targets` reads them from the parsed arguments, typed by the request's
 * schema: renaming or removing an argument in the contract (shared/ipc.ts) fails the type check here
 * instead of leaving the path unchecked.
 */
interface Rule<N extends RequestName> {
  access: Access;
  /** A path inside the open project's folder (on the drive too) needs no pick. */
  underProject: boolean;
  targets: (a: ServiceArgs<N>) => Target[];
}

const RULES: { [N in RequestName]?: Rule<N> } = {
  exportTriplets: { access: 'write', underProject: true, targets: (a) => [{ arg: 'file', path: a.file, dialog: 'file' }] },
  // An .npy's names file (FILE.names.txt) is written beside the picked FILE.
  exportRun: {
    access: 'write',
    underProject: true,
    targets: (a) => [
      { arg: 'onnx', path: a.onnx, dialog: 'file' },
      { arg: 'tfjs', path: a.tfjs, dialog: 'folder' },
      { arg: 'encodings', path: a.encodings, dialog: 'file' },
    ],
  },
  createProject: { access: 'write', underProject: false, targets: (a) => [{ arg: 'dir', path: a.dir, dialog: 'folder' }] },
  importImages: { access: 'read', underProject: true, targets: (a) => [{ arg: 'folder', path: a.folder, dialog: 'folder' }] },
  importTriplets: { access: 'read', underProject: true, targets: (a) => [{ arg: 'file', path: a.file, dialog: 'file' }] },
  fetchBackbone: { access: 'read', underProject: false, targets: (a) => [{ arg: 'from', path: a.from, dialog: 'file' }] },
  similar: { access: 'read', underProject: true, targets: (a) => (a.query.kind === 'file' ? [{ arg: 'query.path', path: a.query.path, dialog: 'file' }] : []) },
};

/** The rule of a request, if it names paths (one lookup for the checks below). */
function ruleOf(name: RequestName): Rule<RequestName> | undefined {
  return RULES[name] as Rule<RequestName> | undefined;
}

export class PathGrants {
  /** Paths picked in this session, each with what it was picked for (write includes read). */
  private readonly picked = new Map<string, Access>();

  /** Records a path the user picked or confirmed, to read from or to write to; returns it absolute. */
  grant(path: string, access: Access): string {
    const abs = resolve(path);
    if (this.picked.get(abs) !== 'write') this.picked.set(abs, access);
    return abs;
  }

  /** Whether `path` was picked for `access` (a path picked to write may also be read). */
  has(path: string, access: Access): boolean {
    const got = this.picked.get(resolve(path));
    return got === 'write' || (got === 'read' && access === 'read');
  }

  /** Throws FORBIDDEN when `name` reads or writes a path that was neither picked for that nor under the project. */
  check(name: RequestName, args: unknown, projectDir: string | null): void {
    const rule = ruleOf(name);
    if (!rule) return;
    for (const { arg, path, dialog } of rule.targets(args as ServiceArgs<RequestName>)) {
      if (path === undefined) continue; // absent (optional)
      if (typeof path !== 'string') throw new AppError('BAD_ARGUMENTS', `${name}: ${arg} must be a path.`);
      const abs = resolve(path);
      if (this.has(abs, rule.access)) continue;
      if (rule.underProject && projectDir && reallyInside(resolve(projectDir), abs)) continue;
      const verb = rule.access === 'write' ? 'write to' : 'read';
      const pickedOnly = rule.access === 'write' ? 'Only paths picked in this session are written' : 'Only paths picked in this session are read';
      const readOnlyPick = rule.access === 'write' && this.has(abs, 'read') ? ' (it was picked to read from, not to write to)' : '';
      throw new AppError(
        'FORBIDDEN',
        `${name}: refused to ${verb} ${abs}${readOnlyPick}: choose it in the ${dialog} dialog first` +
          `${rule.underProject ? ` (or ${rule.access === 'write' ? 'write' : 'use one'} inside the project folder)` : ''}. ${pickedOnly}.`,
        { request: name, path: abs, arg },
      );
    }
  }

  /** Whether `name` needs the open project's folder to be checked. */
  static needsProject(name: RequestName): boolean {
    return ruleOf(name)?.underProject === true;
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
