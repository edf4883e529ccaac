#!/usr/bin/env node
// `npm run gpu`: adds the GPU extras where they can run, and says exactly what happened and why not.
//   1. onnxruntime-node's CUDA execution provider (feature extraction): its own install script with
//      ONNXRUNTIME_NODE_INSTALL=cuda12 downloads the provider libraries (denied by default in
//      package.json allowScripts, so a plain `npm ci` needs no such download).
//   2. @tensorflow/tfjs-node-gpu (training): npm install of the pinned version, then a load check.
// Nothing is attempted without an NVIDIA driver (nvidia-smi) on Linux/Windows x64, unless --force.
// --dry-run prints the commands only. Afterwards `triplet-studio backends` shows what is used and why;
// the engine re-measures the candidates at first use because the installed set changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const dryRun = args.has('--dry-run');
const TFJS_GPU = '@tensorflow/tfjs-node-gpu';

/** [step, outcome, detail] rows for the final table. */
const report = [];
const note = (step, outcome, detail) => report.push({ step, outcome, detail });

function run(cmd, argv, env = {}) {
  const shown = `${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${cmd} ${argv.join(' ')}`;
  console.log(`$ ${shown}`);
  if (dryRun) return { ok: true, shown, out: '(dry run)' };
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (out) console.log(out.split('\n').slice(-15).join('\n'));
  return { ok: r.status === 0, shown, out: r.error ? r.error.message : out };
}

/** The NVIDIA GPU(s) the driver reports, or why none. */
function detectGpu() {
  if (!['linux', 'win32'].includes(process.platform) || process.arch !== 'x64') {
    return { ok: false, why: `the GPU builds exist for Linux and Windows x64 only; this is ${process.platform}/${process.arch}` };
  }
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: `no NVIDIA driver found (nvidia-smi: ${r.error.code === 'ENOENT' ? 'not on PATH' : r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `nvidia-smi failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}` };
  return { ok: true, gpus: r.stdout.trim() };
}

function ortBinDir() {
  try {
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    const napi = readdirSync(join(pkg, 'bin')).find((d) => d.startsWith('napi-v'));
    return napi ? join(pkg, 'bin', napi, process.platform, process.arch) : null;
  } catch {
    return null;
  }
}

const cudaProviderFile = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';

function installOrtCuda() {
  const bin = ortBinDir();
  if (!bin) return note('onnxruntime CUDA provider', 'not done', 'onnxruntime-node is not installed (run npm ci first)');
  if (existsSync(join(bin, cudaProviderFile))) return note('onnxruntime CUDA provider', 'already there', join(bin, cudaProviderFile));
  const r = run(process.execPath, [join(dirname(dirname(dirname(dirname(bin)))), 'script', 'install.js')], { ONNXRUNTIME_NODE_INSTALL: 'cuda12' });
  if (dryRun) return note('onnxruntime CUDA provider', 'dry run', r.shown);
  const present = existsSync(join(bin, cudaProviderFile));
  note('onnxruntime CUDA provider', present ? 'installed' : 'not done', present ? join(bin, cudaProviderFile) : `the download did not produce ${cudaProviderFile}: ${r.out.split('\n').slice(-1)[0] ?? ''}`);
}

function installTfjsGpu() {
  const version = require('./package.json').optionalDependencies?.[TFJS_GPU] ?? 'latest';
  const r = run('npm', ['install', '--no-save', '--foreground-scripts', `${TFJS_GPU}@${version}`]);
  if (dryRun) return note('tfjs-node-gpu (training)', 'dry run', r.shown);
  if (!r.ok) return note('tfjs-node-gpu (training)', 'not done', `npm install failed: ${r.out.split('\n').slice(-1)[0]}`);
  const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(TFJS_GPU)})`], { cwd: root, encoding: 'utf8' });
  if (check.status === 0) return note('tfjs-node-gpu (training)', 'installed', 'loads');
  const msg = `${check.stderr}`.split('\n').find((l) => /Error|cannot open|not found/i.test(l)) ?? check.stderr.split('\n')[0];
  note('tfjs-node-gpu (training)', 'installed, does not load', `${msg.trim()} (CUDA 11.2 and cuDNN 8.1 libraries are needed on the library path)`);
}

const gpu = detectGpu();
if (gpu.ok) console.log(`NVIDIA GPU: ${gpu.gpus}`);
if (!gpu.ok && !force) {
  note('GPU', 'not present', `${gpu.why}; nothing installed (--force tries anyway)`);
} else {
  if (!gpu.ok) note('GPU', 'not present', `${gpu.why}; --force: trying anyway`);
  installOrtCuda();
  installTfjsGpu();
}
console.log('');
console.table(report);
console.log('Then `triplet-studio backends` shows which backend and feature engine run, measured, and why.');
process.exitCode = report.some((r) => r.outcome === 'installed' || r.outcome === 'already there' || r.outcome === 'dry run') ? 0 : 1;
