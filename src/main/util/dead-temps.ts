// Temporary files a killed process left: every write here goes to `<file>.<pid>.….tmp` and is renamed
// into place, so a `kill -9` between the two leaves the temporary file, and no later process reuses
// its name (the pid is in it). They are removed where the next write of the same kind happens.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files in `dir` whose process is gone: `<prefix>.<pid>.tmp` (an export's), or with
 * no prefix `<name>.<pid>.<random>.tmp` (a thumbnail's). Returns how many.
 */
export function removeDeadTemps(dir: string, prefix = ''): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no folder, no leftovers
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.tmp') || (prefix && !name.startsWith(`${prefix}.`))) continue;
    const m = prefix ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length + 1)) : /\.(\d+)\.[0-9a-z]+\.tmp$/.exec(name);
    const pid = m ? Number(m[1]) : NaN;
    if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
