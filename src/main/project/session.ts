// What the service needs so a session survives a restart or a reload: reopening the most recent
// project at start (with a sentence when it cannot), and what a path is (export asks before
// overwriting an existing file).
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PathInfo } from '../../shared/types.js';
import { isProjectDir } from './project.js';

/** Opens the first recent folder; `message` says why not when it was there but failed. */
export function reopenMostRecent(recent: string[], open: (dir: string) => unknown): { dir: string | null; message: string | null } {
  const dir = recent[0];
  if (!dir) return { dir: null, message: null };
  if (!isProjectDir(dir)) return { dir: null, message: `Could not reopen the last project, ${dir}: the folder is gone or is no longer a project. Open or create one.` };
  try {
    open(dir);
    return { dir, message: null };
  } catch (err) {
    return { dir: null, message: `Could not reopen the last project, ${dir}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** An unreadable folder counts as not empty: nothing is assumed replaceable that could not be looked at. */
function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

export function pathInfoOf(path: string): PathInfo {
  const abs = resolve(path);
  try {
    const s = statSync(abs);
    if (s.isDirectory()) return { path: abs, exists: true, kind: 'dir', empty: isEmptyDir(abs) };
    return { path: abs, exists: true, kind: s.isFile() ? 'file' : 'other' };
  } catch {
    return { path: abs, exists: false, kind: null };
  }
}
