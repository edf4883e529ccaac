// A file the app says it saved is on the drive before it says so. Written through a temporary file
// and a rename, a file could still be empty after a power cut or a crash of the system (the rename
// reached the drive, the bytes were still in the cache), and a drive that fails only when its
// cache is written back would lose it unseen: the export said "done". So the bytes are flushed
// (fsync) before the rename, where the drive's error still fails the write, and the folder's
// entry after it.
import { closeSync, fsyncSync, openSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Writes `bytes` to a new file at `path` and flushes them to the drive. */
export function writeFileFlushed(path: string, bytes: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The same, without holding the thread (a model's weights). */
export async function writeFileFlushedAsync(path: string, bytes: Uint8Array | string): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Flushes a folder's entries (a file just renamed into it) to the drive, as far as it can: Windows
 * cannot open a folder for this and some file systems refuse to flush one. It never throws: it runs
 * after the rename, when the file is in place and its bytes are already on the drive, so a failure
 * here must not be reported as "nothing was written" (that write's own flush fails where it counts).
 */
export function flushFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* see above */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
