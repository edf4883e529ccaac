// Thumbnails written again when they are missing from the project's `thumbs/` folder (cleared to save
// space, left out of a copy) or empty (a power cut soon after an import: thumbnails are not flushed
// one by one, which would slow every import for files that can be made again): on the first
// request for one, from the image's own file. A grid asks for
// a few hundred at once, so at most two are decoded at a time (a large photo decodes to tens of MB),
// and a thumbnail asked for twice is made once.
import { statSync } from 'node:fs';
import { rebuildThumbnail } from './decode.js';

const AT_ONCE = 2;

export class ThumbnailRepair {
  private readonly pending = new Map<string, Promise<boolean>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** True once `thumbAbs` exists (written again from `file` if needed); false when it cannot be. */
  ensure(thumbAbs: string, file: string, sha256: string): Promise<boolean> {
    if (hasBytes(thumbAbs)) return Promise.resolve(true);
    let job = this.pending.get(thumbAbs);
    if (!job) {
      job = this.limited(() => rebuildThumbnail(file, sha256, thumbAbs)).finally(() => this.pending.delete(thumbAbs));
      this.pending.set(thumbAbs, job);
    }
    return job;
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= AT_ONCE) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** A file that exists and is not empty. */
function hasBytes(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}
