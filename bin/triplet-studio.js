#!/usr/bin/env node
// `triplet-studio` CLI. Runs the esbuild bundle in dist/cli (built by `npm install`'s prepare step)
// when it is newer than every source file; otherwise runs the TypeScript sources through tsx, so an
// edited checkout never runs stale code.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIsFresh } from '../scripts/bundle-fresh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'cli.cjs');

if (bundleIsFresh(bundle)) {
  createRequire(import.meta.url)(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main/cli/index.ts');
}
