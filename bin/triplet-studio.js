#!/usr/bin/env node
// `triplet-studio` CLI. Runs the esbuild bundle in dist/cli (built by `npm install`'s prepare step)
// when it is newer than every source file; otherwise runs the TypeScript sources through tsx, so an
// edited checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'cli.cjs');

/** Newest modification time under `dir` (recursive). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.TRIPLET_STUDIO_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return ['src/main', 'src/shared'].every((d) => !existsSync(join(root, d)) || newestMtime(join(root, d)) <= built);
}

if (bundleIsFresh()) {
  createRequire(import.meta.url)(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main/cli/index.ts');
}
