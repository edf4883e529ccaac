// One write(2) may take fewer bytes than it was given (a drive that fills up mid-write: the rest
// would fail with ENOSPC, but only if it is written), so a file written in pieces loops until each
// piece is all down. fs.writeFileSync and streams loop already; a bare writeSync does not.
import { writeSync } from 'node:fs';

/** Writes all of `text` (UTF-8) at the file position of `fd`. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    const n = writeSync(fd, bytes, done, bytes.length - done);
    // A write that takes nothing and says no error cannot progress: call it the full disk it is.
    if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    done += n;
  }
}
