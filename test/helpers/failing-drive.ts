// A small ext4 drive (a loop-mounted file) that can be made to fail as a real one does: after an
// error ext4 stops every write (EROFS) while the mount still says "rw" (emergency_ro), so access()
// keeps answering "writable". Mounting needs root and loop devices, as CI has; elsewhere the caller
// skips with the reason returned.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

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

/**
 * A drive whose writes fail with EIO while it stays mounted "rw" and access() says writable, as a
 * failing USB stick without a journal does (FAT) or a disk image whose host storage fails: an ext4
 * drive without a journal (errors=continue) whose image lives on a second drive that
 * `failErringDisk` makes fail (the loop device then answers EIO). Mounted `sync` (write() itself
 * reports the error) unless `cached`: then, as drives are usually mounted, a write lands in the page
 * cache and only a flush (fsync) or the later writeback meets the error.
 * Mounted at `dir`; a reason when this machine will not.
 */
export function mountErringDisk(dir: string, { cached = false } = {}): string | false {
  const host = `${dir}.host`;
  mkdirSync(host, { recursive: true });
  const hostFailed = mountExt4(`${host}.img`, host, 96);
  if (hostFailed) return hostFailed;
  const image = join(host, 'disk.img');
  const steps: [string, string[]][] = [
    ['truncate', ['-s', '64M', image]],
    ['mkfs.ext4', ['-q', '-F', '-O', '^has_journal', image]],
    ['mount', ['-o', `loop,${cached ? '' : 'sync,'}errors=continue`, image, dir]],
  ];
  for (const [cmd, args] of steps) {
    const r = run(cmd, args);
    if (r.status !== 0) {
      unmountDrive(host, `${host}.img`);
      return `cannot make an erring drive here (${cmd}): ${(r.stderr || r.error?.message || '').trim()}`;
    }
  }
  return false;
}

/** From now on every write to the drive at `dir` that reaches the device fails with EIO (what is cached still reads). */
export function failErringDisk(dir: string): void {
  failDrive(`${dir}.host`);
}

export function unmountErringDisk(dir: string): void {
  run('umount', ['-l', dir]);
  unmountDrive(`${dir}.host`, `${dir}.host.img`);
}
