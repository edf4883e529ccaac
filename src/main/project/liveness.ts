// Is the process that started a run still the one running? A pid alone can be reused by an unrelated
// process after a crash, so a run also records its process's start time (Linux: /proc/PID/stat field 22,
// clock ticks since boot). Elsewhere the start time is unknown and the pid alone decides.
import { readFileSync } from 'node:fs';
import { pidAlive } from '../util/dead-temps.js';

/** The start time of process `pid` as recorded by the OS, or null where it cannot be read. */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: fields are counted after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[22 - 3] ?? null; // rest[0] is field 3
  } catch {
    return null;
  }
}

/** True when `pid` exists and, if both start times are known, is the same process that recorded `start`. */
export function sameProcessAlive(pid: number, start: string | null): boolean {
  if (!pidAlive(pid)) return false;
  if (start === null) return true;
  const now = processStartTime(pid);
  return now === null || now === start;
}
