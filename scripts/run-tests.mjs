#!/usr/bin/env node
// The test command (`npm test`): type checks, then node:test suites under test/ (TypeScript via tsx),
// then the Playwright browser suite. Each stage runs even if an earlier one failed; the exit code is the worst.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (entry !== 'e2e' && entry !== 'fixtures') out.push(...findTests(p));
    } else if (entry.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

/** Playwright drives Debian's Chromium; install it (as root, with apt) when it is missing. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    console.error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium xvfb) or set CHROMIUM_PATH.`);
    return false;
  }
  console.log('Chromium not found: installing Debian chromium and xvfb with apt-get…');
  run('apt-get update', 'apt-get', ['update', '-qq']);
  return run('apt-get install', 'apt-get', ['install', '-y', '-qq', 'chromium', 'xvfb']) === 0 && existsSync(CHROMIUM);
}

const stages = only.length ? only : ['typecheck', 'unit', 'e2e'];
let code = 0;
for (const stage of stages) {
  if (stage === 'typecheck') {
    code = Math.max(code, run('tsc', 'npx', ['tsc', '-p', 'tsconfig.json']));
    code = Math.max(code, run('svelte-check', 'npx', ['svelte-check', '--tsconfig', 'src/renderer/tsconfig.json', '--fail-on-warnings']));
  } else if (stage === 'unit') {
    code = Math.max(code, run('node:test', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...findTests('test')]));
  } else if (stage === 'e2e') {
    code = Math.max(code, ensureChromium() ? run('playwright', 'npx', ['playwright', 'test']) : 1);
  }
}
process.exit(code);
