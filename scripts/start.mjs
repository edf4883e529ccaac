#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed, otherwise browser mode
// (saying why). Arguments after `--` go to browser mode (e.g. `npm start -- --port 8080`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the Electron binary is, or why there is none. Mirrors node_modules/electron/index.js
 * (path.txt + dist/, or ELECTRON_OVERRIDE_DIST_PATH) without its side effect: `require('electron')`
 * starts a download when the binary is missing, which hangs or fails offline.
 */
export function electronBinary() {
  const require = createRequire(import.meta.url);
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json', { paths: [root] }));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
    return existsSync(p) ? { path: p, reason: null } : { path: null, reason: `${p} does not exist (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!rel) return { path: null, reason: `${join(pkgDir, 'path.txt')} is missing: the Electron download never completed` };
  const p = join(pkgDir, 'dist', rel);
  return existsSync(p) ? { path: p, reason: null } : { path: null, reason: `${p} does not exist` };
}

async function main() {
  const args = process.argv.slice(2);
  const bin = electronBinary();
  if (!bin.path) {
    console.log(`Electron binary not found (${bin.reason}): starting browser mode instead.`);
    const { serve } = await import('./serve.mjs');
    await serve(args);
    return;
  }
  const { ensureRenderer } = await import('./serve.mjs');
  const { buildElectron } = await import('./build-electron.mjs');
  const { ensureElectronSqlite } = await import('./electron-sqlite.mjs');
  let sqlite;
  try {
    sqlite = ensureElectronSqlite({ electronPath: bin.path });
  } catch (err) {
    console.log(`Electron is installed, but ${err instanceof Error ? err.message : err}: starting browser mode instead.`);
    const { serve } = await import('./serve.mjs');
    await serve(args);
    return;
  }
  ensureRenderer();
  await buildElectron();
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: undefined, TRIPLET_STUDIO_SQLITE_BINDING: sqlite };
  const child = spawn(bin.path, [root], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  // Passed on so Electron quits through its own shutdown. Not on Windows: there kill() would terminate it
  // at once, and Ctrl+C already reaches Electron through the console they share (it ends as when started
  // from that console directly).
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.platform !== 'win32' && child.kill(sig));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`Triplet Studio could not start: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
