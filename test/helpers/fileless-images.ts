// Image rows without files (ids 1, 2, … in order), for tests of the triplet store, history and
// runs that never read a picture.
import type { Db } from '../../src/main/store/db.js';

/** Adds one image row per name (as "a.jpg"), in the root folder, with no file behind it. */
export function addFilelessImages(db: Db, names: readonly string[]): void {
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', '', '', 1, 1, 1, 0)`);
  for (const n of names) ins.run(n, n);
}
