// Whether an esbuild bundle of the main side (dist/cli/*.cjs, built by `npm install`'s prepare step)
// may run: it exists and is newer than every source file under src/main and src/shared, so an edited
// checkout never runs stale code. TRIPLET_STUDIO_FROM_SOURCE=1 always runs the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time under `dir` (recursive). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

export function bundleIsFresh(bundle) {
  if (process.env.TRIPLET_STUDIO_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return ['src/main', 'src/shared'].every((d) => !existsSync(join(root, d)) || newestMtime(join(root, d)) <= built);
}
