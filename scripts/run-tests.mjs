#!/usr/bin/env node
// The test command (`npm test`): type checks and the layering lint (eslint.config.js), then the node:test suites under test/ (TypeScript via
// tsx), then the Playwright suite in Debian Chromium. Every stage runs even if an earlier one failed;
// the exit code is the worst, and the last line sums the counts: "N passed, N failed, N skipped".
// `npm test -- unit` (or typecheck, e2e) runs only those stages. The shared data (../shared or
// TRIPLET_STUDIO_SHARED) is read-only: a run that adds, removes or changes a file there fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };

const SHARED = process.env.TRIPLET_STUDIO_SHARED ? resolve(process.env.TRIPLET_STUDIO_SHARED) : resolve(root, '..', 'shared');

/** Every file and folder under the shared data: path → 'dir', or a file's size and mtime (empty when the folder is absent). */
function sharedListing(dir = SHARED, out = new Map()) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const st = statSync(p);
    out.set(p, entry.isDirectory() ? 'dir' : `${st.size}:${st.mtimeMs}`);
    if (entry.isDirectory()) sharedListing(p, out);
  }
  return out;
}

/** Paths added, removed or changed between two listings. */
function sharedChanges(before, after) {
  const changed = [...after].filter(([p, v]) => before.get(p) !== v).map(([p]) => p);
  return [...changed, ...[...before.keys()].filter((p) => !after.has(p))];
}

/** Test files under `dir`, except the browser suite (Playwright runs it) and fixtures. */
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

/** The console: where a command's output goes unless it runs beside another (`buffered`). */
const CONSOLE = { stdout: process.stdout, stderr: process.stderr };

/** An output kept until `flush`, so two commands run side by side do not mix their lines. */
function buffered() {
  const chunks = [];
  const sink = { write: (chunk) => chunks.push(Buffer.from(chunk)) };
  return { stdout: sink, stderr: sink, flush: () => process.stdout.write(Buffer.concat(chunks)) };
}

/** Runs a command with its output passed to `out`, and hands each output line to `onLine`. */
function run(label, cmd, args, onLine = () => {}, out = CONSOLE) {
  out.stdout.write(`\n=== ${label}: ${[cmd, ...args].map((a) => a.replace(root + '/', '')).join(' ')}\n`);
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const pass = (stream, out) => {
      let rest = '';
      stream.on('data', (chunk) => {
        out.write(chunk);
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      stream.on('end', () => rest && onLine(rest));
    };
    pass(child.stdout, out.stdout);
    pass(child.stderr, out.stderr);
    child.on('close', (code) => done(code ?? 1));
    child.on('error', (err) => {
      out.stderr.write(`${label}: ${err.message}\n`);
      done(1);
    });
  });
}

/** node:test's TAP summary: "# pass N", "# fail N", "# skipped N". */
function countNodeTest(line) {
  const m = /^# (pass|fail|skipped) (\d+)$/.exec(line.trim());
  if (m) totals[{ pass: 'passed', fail: 'failed', skipped: 'skipped' }[m[1]]] += Number(m[2]);
}

/** Playwright's list reporter summary: "  3 passed (1.3m)", "  4 skipped", "  1 failed". */
function countPlaywright(line) {
  const m = /^\s+(\d+) (passed|failed|skipped|flaky)\b/.exec(line);
  if (m) totals[m[2] === 'flaky' ? 'failed' : m[2]] += Number(m[1]);
}

/** Playwright drives Debian's Chromium; install it (as root, with apt) when it is missing. */
async function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium xvfb) or set CHROMIUM_PATH.`);
    return false;
  }
  console.log('Chromium not found: installing Debian chromium and xvfb with apt-get…');
  await run('apt-get update', 'apt-get', ['update', '-qq']);
  return (await run('apt-get install', 'apt-get', ['install', '-y', '-qq', 'chromium', 'xvfb'])) === 0 && existsSync(CHROMIUM);
}

const STAGES = {
  async typecheck() {
    // Each check that fails counts as one failure; all of them run. Each uses one core, so two lanes
    // run side by side, each printed whole when both are done.
    const lane = async (checks) => {
      const out = buffered();
      const codes = [];
      for (const [label, tool, args] of checks) codes.push(await run(label, bin(tool), args, undefined, out));
      return { out, codes };
    };
    const lanes = await Promise.all([
      lane([
        ['tsc', 'tsc', ['-p', 'tsconfig.json']],
        ['eslint (layers)', 'eslint', ['--max-warnings=0', 'src']],
      ]),
      lane([
        ['tsc (DOM tests)', 'tsc', ['-p', 'tsconfig.dom.json']],
        ['svelte-check', 'svelte-check', ['--tsconfig', 'src/renderer/tsconfig.json', '--fail-on-warnings']],
      ]),
    ]);
    for (const { out } of lanes) out.flush();
    const codes = lanes.flatMap((l) => l.codes);
    totals.failed += codes.filter((c) => c !== 0).length;
    return Math.max(...codes);
  },
  async unit() {
    // Three test files at a time where there are two cores: many wait on child processes, locks and
    // timers, so a third fills the gaps (on 2 cores, back to back on 2026-12-07: 482 s three at a
    // time, 520 s two at a time; 2026-12-06: 564 s one at a time). TRIPLET_STUDIO_TEST_CONCURRENCY overrides.
    const n = process.env.TRIPLET_STUDIO_TEST_CONCURRENCY ?? (availableParallelism() >= 2 ? 3 : 1);
    const files = `--test-concurrency=${n}`;
    return run('node:test', process.execPath, ['--import', 'tsx', '--test', files, ...findTests(join(root, 'test'))], countNodeTest);
  },
  async e2e() {
    if (!(await ensureChromium())) {
      totals.failed++;
      return 1;
    }
    return run('playwright', bin('playwright'), ['test'], countPlaywright);
  },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((s) => !(s in STAGES));
if (unknown.length) {
  console.error(`Unknown stage(s): ${unknown.join(', ')}. Stages: ${Object.keys(STAGES).join(', ')}.`);
  process.exit(2);
}
let code = 0;
const sharedBefore = sharedListing();
// Which engine is fastest on this machine is measured once for the whole run, not again in every
// fresh data folder a test makes (about 3 s each); the tests of that measurement use their own.
const choiceDir = mkdtempSync(join(tmpdir(), 'ts-test-choice-'));
process.env.TRIPLET_STUDIO_COMPUTE_CHOICE ||= join(choiceDir, 'compute-choice.json');
for (const stage of asked.length ? asked : Object.keys(STAGES)) {
  const started = performance.now();
  code = Math.max(code, await STAGES[stage]());
  console.log(`\n=== ${stage} took ${Math.round((performance.now() - started) / 1000)} s`);
}
rmSync(choiceDir, { recursive: true, force: true });
const touched = sharedChanges(sharedBefore, sharedListing());
if (touched.length) {
  console.error(`\nThe read-only shared data at ${SHARED} was changed by this run (${touched.length}): ${touched.slice(0, 10).join(', ')}`);
  totals.failed++;
  code = Math.max(code, 1);
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
