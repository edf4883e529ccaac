// How much room a folder's drive has left, for saying "the disk is full" when SQLite only says
// "disk I/O error" (it cannot make its journal files beside the project on a full drive).
import { statfsSync } from 'node:fs';

/** Below this a drive counts as full: SQLite's shared-memory file alone takes 32 KiB. */
const FULL_BELOW_BYTES = 1 << 20;

/** Bytes this process may still write on the drive holding `dir`; null when the system cannot tell. */
function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** True when the drive holding `dir` is known to be (nearly) full. */
export function driveIsFull(dir: string): boolean {
  const free = freeBytes(dir);
  return free !== null && free < FULL_BELOW_BYTES;
}
