#!/usr/bin/env node
// `npm run serve`: browser mode. Builds the renderer if dist/renderer is missing, starts the
// server on 127.0.0.1 and prints the address to open. The address (token and port) is kept per data
// folder in <data>/browser-session.json (mode 0600), so it stays the same across restarts.
//   --port N        (default: the port used last time with this data folder, else a free one)
//   --host H        (default 127.0.0.1)
//   --new-token     replace the stored token: older addresses and open tabs stop working
//   --data DIR      per-user data (default: the app data folder, see src/main/util/paths.ts)
//   --allow-remote  needed to listen on a non-loopback host (the token is still required)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleIsFresh } from './bundle-fresh.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = join(root, 'dist', 'renderer');

/** Builds the renderer when its output is missing; throws with the reason when that fails. */
export function ensureRenderer() {
  if (existsSync(join(staticDir, 'index.html'))) return;
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts['build:renderer']) throw new Error(`The renderer is not built (${staticDir}) and package.json has no "build:renderer" script.`);
  console.log('Building the renderer (dist/renderer is missing)…');
  // npm through node: npm_execpath when npm started us; else npm itself, through the shell on Windows,
  // where npm is npm.cmd and Node (since 20.12.2) refuses to spawn a .cmd without one (EINVAL).
  // (npm's own script only: pnpm and Yarn set npm_execpath too, and may not take `run --silent`.)
  const viaNode = process.env.npm_execpath && /(^|[\\/])npm-cli\.c?js$/.test(process.env.npm_execpath);
  const [cmd, pre, shell] = viaNode ? [process.execPath, [process.env.npm_execpath], false] : ['npm', [], process.platform === 'win32'];
  const r = spawnSync(cmd, [...pre, 'run', '--silent', 'build:renderer'], { cwd: root, stdio: 'inherit', shell });
  if (r.status !== 0 || !existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`Building the renderer failed (npm run build:renderer${r.error ? `: ${r.error.message}` : ''}).`);
  }
}

/** The server: its bundle (dist/cli/server.cjs) when it is up to date, else the TypeScript sources through tsx. */
async function loadServer() {
  const bundle = join(root, 'dist', 'cli', 'server.cjs');
  if (bundleIsFresh(bundle)) return createRequire(import.meta.url)(bundle);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/main/server/index.ts');
}

export async function serve(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'new-token': { type: 'boolean', default: false },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port: expected 0–65535, got ${values.port}`);
  ensureRenderer();
  const { startServer, appDataDir } = await loadServer();
  const server = await startServer({
    dataDir: resolve(values.data ?? appDataDir()),
    host: values.host,
    port,
    staticDir,
    allowRemote: values['allow-remote'],
    persistSession: true,
    newToken: values['new-token'],
    crashLog: true,
  });
  for (const notice of server.notices) console.log(`Note: ${notice}`);
  console.log(`Triplet Studio (browser mode): ${server.url}`);
  console.log('Open that address in a browser; it stays the same on every start with this data folder, so you can bookmark it (`--new-token` replaces it). Ctrl+C stops.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return server;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve().catch((err) => {
    console.error(`Triplet Studio (browser mode) could not start: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
