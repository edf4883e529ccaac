#!/usr/bin/env node
// better-sqlite3 for Electron. node_modules/better-sqlite3 is built for Node's ABI (CLI, tests,
// browser mode); Electron needs its own build. This compiles a second copy of the addon with
// node-gyp against Electron's headers into dist/native/electron-<version>/better_sqlite3.node and
// checks that Electron loads it; the app passes it to better-sqlite3 as `nativeBinding`
// (TRIPLET_STUDIO_SQLITE_BINDING). node_modules stays untouched. Not @electron/rebuild: on some
// machines it was measured to build silently for the wrong ABI; this path is explicit and verified.
// sharp, onnxruntime-node and tfjs-node use N-API and need no rebuild.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export function electronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json', { paths: [root] }), 'utf8')).version;
}

export function electronSqlitePath(version = electronVersion()) {
  return join(root, 'dist', 'native', `electron-${version}`, 'better_sqlite3.node');
}

/** True when `electronPath` (run as Node) can load the addon at `binding`. */
function loadsInElectron(electronPath, binding) {
  const r = spawnSync(electronPath, ['-e', `require(${JSON.stringify(binding)})`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  return { ok: r.status === 0, error: (r.stderr || r.error?.message || '').trim() };
}

/** Builds (once per Electron version) and verifies the addon; returns its path. Throws with the reason. */
export function ensureElectronSqlite({ electronPath, log = console.log } = {}) {
  const version = electronVersion();
  const out = electronSqlitePath(version);
  if (existsSync(out) && (!electronPath || loadsInElectron(electronPath, out).ok)) return out;
  log(`Building better-sqlite3 for Electron ${version} (once; about 2 minutes)…`);
  const work = mkdtempSync(join(tmpdir(), 'ts-electron-sqlite-'));
  try {
    const pkg = dirname(require.resolve('better-sqlite3/package.json', { paths: [root] }));
    const copy = join(work, 'better-sqlite3');
    cpSync(pkg, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkg, 'build')) });
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
    const r = spawnSync(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: copy, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error(`node-gyp could not build better-sqlite3 for Electron ${version} (it needs Electron's headers from electronjs.org and a C++ toolchain)`);
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (electronPath) {
    const check = loadsInElectron(electronPath, out);
    if (!check.ok) {
      rmSync(out, { force: true });
      throw new Error(`the better-sqlite3 build for Electron ${version} does not load in Electron: ${check.error}`);
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { electronBinary } = await import('./start.mjs');
    console.log(ensureElectronSqlite({ electronPath: electronBinary().path ?? undefined }));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
