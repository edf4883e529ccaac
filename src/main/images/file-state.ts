// Whether an image's file is still where it was imported from. The app checks what the user is looking
// at (a Library page of at most a few hundred images, one image's details), so a moved folder shows on
// the images themselves before training finds it; `images --missing` and "Show every missing file" check
// every image.
import { existsSync } from 'node:fs';
import type { Db } from '../store/db.js';
import { allPrimaryPaths, primaryPaths } from '../store/images.js';

/** The records with `missing: true` on those whose file is gone (the others unchanged). */
export function withFileState<T extends { id: number; missing?: boolean }>(db: Db, items: T[]): T[] {
  if (!items.length) return items;
  const paths = primaryPaths(db, items.map((i) => i.id));
  return items.map((i) => {
    const path = paths.get(i.id);
    return path !== undefined && !existsSync(path) ? { ...i, missing: true } : i;
  });
}

/** Ids of every image whose file is gone, by name (the Library's "Show every missing file"). */
export function missingImageIds(db: Db): number[] {
  return allPrimaryPaths(db)
    .filter((r) => !existsSync(r.abs_path))
    .map((r) => r.id);
}
