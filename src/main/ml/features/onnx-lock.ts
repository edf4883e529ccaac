// A lock file for one-time derived files (model.json from .h5, model.onnx): several feature worker
// threads (or processes) start at once and must not all convert; the first converts, the rest wait.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

const STALE_MS = 10 * 60 * 1000;

function isStale(path: string): boolean {
  try {
    const age = Date.now() - statSync(path).mtimeMs;
    const pid = Number(readFileSync(path, 'utf8'));
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch {
        return true; // holder process is gone
      }
    }
    return age > STALE_MS;
  } catch {
    return false;
  }
}

/** Runs `fn` holding `lockPath`; `done()` says whether the result already exists (then fn is skipped). */
export async function withFileLock<T>(lockPath: string, done: () => boolean, fn: () => Promise<T> | T): Promise<T | null> {
  for (;;) {
    if (done()) return null;
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isStale(lockPath)) {
        try {
          unlinkSync(lockPath);
        } catch {
          /* another waiter removed it */
        }
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (done()) return null;
      return await fn();
    } finally {
      try {
        unlinkSync(lockPath);
      } catch {
        /* already gone */
      }
    }
  }
}
