#!/usr/bin/env node
// Bundles the CLI and the browser-mode server (`npm run build:cli`, run by `prepare` on npm
// install/ci) into dist/cli/, with the same worker and engine bundles as the Electron build.
// bin/triplet-studio.js and scripts/serve.mjs run a bundle when it is newer than every source file
// (scripts/bundle-fresh.mjs; start-up 0.4 s instead of 1.3 s through tsx), else the sources.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli({ log = console.log } = {}) {
  return buildElectron({ log, out: join(root, 'dist', 'cli'), extraEntries: { cli: join(root, 'src', 'main', 'cli', 'index.ts'), server: join(root, 'src', 'main', 'server', 'index.ts') } });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCli({ log: () => {} }).catch((err) => {
    console.error(`CLI bundle not built (the CLI still runs from sources): ${err instanceof Error ? err.message : err}`);
  });
}
