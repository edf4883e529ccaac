// A small ext4 drive (a loop-mounted file) that can be made to fail as a real one does: after an
// error ext4 stops every write (EROFS) while the mount still says "rw" (emergency_ro), so access()
// keeps answering "writable". Mounting needs root and loop devices, as CI has; elsewhere the caller
// skips with the reason returned.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

/** Mounts a fresh ext4 drive of `mb` MB (its image at `image`) on `dir`; a reason when this machine will not. */
export function mountExt4(image: string, dir: string, mb = 64): string | false {
  const steps: [string, string[]][] = [
    ['truncate', ['-s', `${mb}M`, image]],
    ['mkfs.ext4', ['-q', '-F', image]],
    ['mount', ['-o', 'loop,errors=remount-ro', image, dir]],
  ];
  for (const [cmd, args] of steps) {
    const r = run(cmd, args);
    if (r.status !== 0) return `cannot make a failing drive here (${cmd} needs root and loop devices): ${(r.stderr || r.error?.message || '').trim()}`;
  }
  if (!existsSync(triggerOf(dir))) {
    unmountDrive(dir, image);
    return `cannot make a failing drive here: ${triggerOf(dir)} is missing`;
  }
  return false;
}

/** The drive reports an error: from now on it refuses every write, as after a failing sector or a loose cable. */
export function failDrive(dir: string): void {
  writeFileSync(triggerOf(dir), 'test: drive error');
}

export function unmountDrive(dir: string, image: string): void {
  run('umount', ['-l', dir]);
  rmSync(image, { force: true });
}

/** ext4's switch for a simulated error of the loop device mounted on `dir`. */
function triggerOf(dir: string): string {
  const source = run('findmnt', ['-n', '-o', 'SOURCE', dir]).stdout.trim();
  return `/sys/fs/ext4/${basename(source)}/trigger_fs_error`;
}
