// Start-up time (`npm run bench -- startup`): importing the service through tsx (what `npm run
// serve` loads first) and one quick CLI command (`runs DIR --json` on an empty project) from the
// TypeScript sources and from the esbuild bundle `npm install` builds, each as a fresh process, with
// tfjs loaded at its first use (as shipped) against tfjs imported up front (as before the change:
// `--import @tensorflow/tfjs`, the module the engine requires, after tsx's hooks where the sources
// run through tsx). Median wall time of 7 processes after one warm-up; the ratio is eager ÷ lazy.
// Then browser mode: how long `npm run serve` takes to print its address, from the server's bundle
// against the sources through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');
const REPEATS = 7;

/** Median wall milliseconds of `node args…` run from the repo root. */
function medianMs(args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i <= REPEATS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: repoRoot, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${r.stderr}`);
    if (i > 0) times.push(performance.now() - t0); // the first run warms tsx's cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Milliseconds until `npm run serve` prints its address (it then listens), killed right after. */
function serverReadyMs(env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'serve.mjs'), '--data', env.TRIPLET_STUDIO_DATA!], { cwd: repoRoot, env });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('token=')) return;
      const ms = performance.now() - t0;
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => (out.includes('token=') ? undefined : reject(new Error(`serve.mjs exited with ${code}`))));
  });
}

/** Median of REPEATS server starts after one warm-up. */
async function medianServerMs(env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= REPEATS; i++) {
    const ms = await serverReadyMs(env);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function runStartupBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ts-bench-startup-'));
  try {
    const env = { ...process.env, TRIPLET_STUDIO_DATA: join(root, 'data') };
    const dir = join(root, 'project');
    const cli = join(repoRoot, 'bin', 'triplet-studio.js');
    if (spawnSync(process.execPath, [cli, 'init', dir], { env }).status !== 0) throw new Error('init failed');
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build-cli failed:\n${build.stderr}`);
    const tsx = ['--import', 'tsx'];
    const cases = [
      { what: 'import the service through tsx (`npm run serve`)', pre: tsx, args: ['-e', "await import('./src/main/project/service.ts')"], env },
      { what: 'CLI `runs DIR --json` from the sources (tsx)', pre: tsx, args: [cli, 'runs', dir, '--json'], env: { ...env, TRIPLET_STUDIO_FROM_SOURCE: '1' } },
      { what: 'CLI `runs DIR --json` from the bundle', pre: [], args: [cli, 'runs', dir, '--json'], env },
    ];
    console.log('| start-up | tfjs at first use (ms) | tfjs imported up front (ms) | up front ÷ first use |');
    console.log('| --- | --- | --- | --- |');
    for (const c of cases) {
      const lazy = medianMs([...c.pre, ...c.args], c.env);
      const eager = medianMs([...c.pre, '--import', '@tensorflow/tfjs', ...c.args], c.env);
      console.log(`| ${c.what} | ${lazy.toFixed(0)} | ${eager.toFixed(0)} | ${(eager / lazy).toFixed(2)}× |`);
    }
    // Browser mode (`npm run serve`) runs the server's bundle (dist/cli/server.cjs) when it is up to date.
    const bundled = await medianServerMs(env);
    const sources = await medianServerMs({ ...env, TRIPLET_STUDIO_FROM_SOURCE: '1' });
    console.log('\n| `npm run serve` until it prints its address | from the bundle (ms) | from the sources through tsx (ms) | sources ÷ bundle |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| median of ${REPEATS} | ${bundled.toFixed(0)} | ${sources.toFixed(0)} | ${(sources / bundled).toFixed(2)}× |`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
