// Files handed to the app as bytes rather than paths (browser mode's drop zone: a web page cannot
// learn a dropped file's path). They arrive in chunks, in order, and are kept inside the project under
// `received/` with their own name, so a triplet import streams them like any file and its report
// names `received/train.txt:12`. A copy, never a move: the original stays where it was.
import type { PROJECT_FOLDERS } from '../../shared/project-layout.js';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { assertStaysInside, reallyInside } from '../util/inside-on-drive.js';
import { makeDirs } from '../util/make-dirs.js';

export const RECEIVED_DIR: keyof typeof PROJECT_FOLDERS = 'received';

interface Upload {
  part: string;
  name: string;
  received: number;
  /** Date.now() of the last chunk: an upload idle longer than STALE_MS was abandoned (tab closed). */
  touched: number;
}

/** A drop sends its chunks back to back; ten idle minutes mean the page is gone. */
export const STALE_MS = 10 * 60 * 1000;

const PART = /^\.[0-9a-f-]{36}\.part$/;

/** A file name safe to create: no folders, no control characters, not empty, not hidden. */
export function safeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f/]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 200);
  return base || 'file.txt';
}

/** `dir/name`, or `dir/name-2.ext`, … when taken. */
function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = join(dir, i === 1 ? name : `${stem}-${i}${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
}

export class Uploads {
  private readonly open = new Map<string, Upload>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Takes one chunk. The first (offset 0, no id) starts an upload and returns its id; each next one
   * must continue exactly where the last ended; `done` moves the file into place and returns its path.
   */
  receive(projectDir: string, a: { id?: string; name: string; offset: number; data: string; done: boolean }): { id: string; path: string | null; received: number } {
    const bytes = Buffer.from(a.data, 'base64');
    this.expire(projectDir);
    let id = a.id;
    let up = id ? this.open.get(id) : undefined;
    if (!id) {
      if (a.offset !== 0) throw new AppError('BAD_ARGUMENTS', 'An upload starts at offset 0.');
      const dir = join(projectDir, RECEIVED_DIR);
      makeDirs(dir);
      assertStaysInside(projectDir, dir, 'a dropped file');
      id = randomUUID();
      up = { part: join(dir, `.${id}.part`), name: safeFileName(a.name), received: 0, touched: this.now() };
      writeFileSync(up.part, '');
      this.open.set(id, up);
    }
    if (!up) throw new AppError('NOT_FOUND', 'This upload is unknown (the app restarted?): drop the file again.');
    if (a.offset !== up.received) throw new AppError('CONFLICT', `Upload out of order: expected offset ${up.received}, got ${a.offset}.`);
    appendFileSync(up.part, bytes);
    up.received += bytes.length;
    up.touched = this.now();
    if (!a.done) return { id, path: null, received: up.received };
    this.open.delete(id);
    const target = freeName(join(projectDir, RECEIVED_DIR), up.name);
    renameSync(up.part, target);
    return { id, path: target, received: up.received };
  }

  /** Drops an unfinished upload (cancelled in the page). */
  abandon(id: string): void {
    const up = this.open.get(id);
    if (!up) return;
    this.open.delete(id);
    rmSync(up.part, { force: true });
  }

  /**
   * Removes what abandoned uploads left: open uploads idle longer than STALE_MS, and `.part` files
   * of received/ that no open upload owns and that are that old (a page closed mid-drop, an app that
   * quit or crashed). Runs on each new chunk and when a project is opened; never touches finished files.
   */
  expire(projectDir: string): number {
    const now = this.now();
    const owned = new Set<string>();
    for (const [id, up] of this.open) {
      if (now - up.touched > STALE_MS) this.abandon(id);
      else owned.add(up.part);
    }
    const dir = join(projectDir, RECEIVED_DIR);
    if (!reallyInside(projectDir, dir)) return 0; // a link leading out: not the app's files
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return 0; // no received/ folder yet
    }
    for (const name of names) {
      const path = join(dir, name);
      if (!PART.test(name) || owned.has(path)) continue;
      try {
        if (now - statSync(path).mtimeMs <= STALE_MS) continue; // another process's upload in progress
        rmSync(path, { force: true });
        removed++;
      } catch {
        // gone meanwhile
      }
    }
    return removed;
  }
}
