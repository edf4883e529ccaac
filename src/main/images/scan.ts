// Lists the files under an image folder: recursive, hidden files and folders skipped, stable order.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface ScannedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root with '/' separators: the image's name. */
  name: string;
  bytes: number;
  mtimeMs: number;
}

export async function scanFolder(root: string): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  await walk(root, root, out);
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

async function walk(root: string, dir: string, out: ScannedFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(root, path, out);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue;
      out.push({ path, name: relative(root, path).split(sep).join('/'), bytes: st.size, mtimeMs: st.mtimeMs });
    }
  }
}
