// A small tmpfs for tests of a full disk: a real drive that fills up. Mounting needs root (CI runs
// as root); elsewhere the caller skips with the reason returned.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Mounts a tmpfs of `size` (e.g. "3m") at `dir`, or resizes it; a reason when this machine will not. */
export function mountTmpfs(dir: string, size: string, remount = false): string | false {
  const opts = remount ? `remount,size=${size}` : `size=${size}`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? false : `cannot mount a small tmpfs here (needs root): ${(r.stderr || r.error?.message || '').trim()}`;
}

/** Makes the tmpfs at `dir` read-only, as a drive mounted read-only; throws when it cannot. */
export function remountReadOnly(dir: string): void {
  const r = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount -o remount,ro ${dir}: ${r.stderr}`);
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

/** Writes zeros into `dir`/filler until the drive refuses more; returns the filler's path. */
export function fillDisk(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  // The last partial chunk: fill the remaining bytes one small write at a time.
  const fd2 = openSync(file, 'a');
  try {
    for (;;) writeSync(fd2, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
  return file;
}
