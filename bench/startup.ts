// Start-up time (`npm run bench -- startup`): importing the service through tsx (what `npm run
// serve` loads first) and one quick CLI command (`runs DIR --json` on an empty project) from the
// TypeScript sources and from the esbuild bundle `npm install` builds, each as a fresh process, with
// tfjs loaded at its first use (as shipped) against tfjs imported up front (as before the change:
// `--import @tensorflow/tfjs`, the module the engine requires, after tsx's hooks where the sources
// run through tsx). Median wall time of 7 processes after one warm-up; the ratio is eager ÷ lazy.
import { spawnSync } from 'node:child_process';
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
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
