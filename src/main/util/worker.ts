// Starts worker threads from TypeScript sources (through tsx) or from bundled JavaScript alike.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, workerData as rawWorkerData, type WorkerOptions } from 'node:worker_threads';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/** Workers started here that have not exited yet (see workersExited). */
const live = new Set<Worker>();

/**
 * Starts `entry` (a URL to a .ts or .js module, usually `new URL('./x-worker.js', import.meta.url)`)
 * with `data` as its input. A `.js` URL whose file does not exist but whose `.ts` sibling does is
 * run through tsx, so the same call works from sources and from a bundle.
 */
export function startWorker<T>(entry: URL, data: T, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  const href = resolveEntry(entry);
  options = { execArgv: inheritableExecArgv(), ...options };
  const w = href.endsWith('.ts')
    ? new Worker(BOOT, { ...options, workerData: { __entry: href, __data: data } })
    : new Worker(new URL(href), { ...options, workerData: { __data: data } });
  live.add(w);
  w.once('exit', () => live.delete(w));
  return w;
}

/**
 * Resolves true once every worker started here has exited, or false after `timeoutMs`. A host
 * awaits it before process.exit: a feature worker still releasing its onnxruntime session when the
 * process exits makes Node abort ("terminate called after throwing an instance of 'Napi::Error'").
 */
export async function workersExited(timeoutMs = 5_000): Promise<boolean> {
  if (live.size === 0) return true;
  const all = Promise.all([...live].map((w) => new Promise<void>((r) => (live.has(w) ? w.once('exit', () => r()) : r()))));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  try {
    return await Promise.race([all.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The parent's Node options minus those about an inline script (`-e code`, `--input-type`): a worker
 * inherits execArgv, and Node refuses to start one with them (a script run with `node -e` that
 * starts a worker would fail).
 */
function inheritableExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
    else if (!a.startsWith('--input-type') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

/** The `data` a worker was started with (call inside the worker). */
export function workerInput<T>(): T {
  return (rawWorkerData as { __data: T }).__data;
}

function resolveEntry(entry: URL): string {
  if (entry.href.endsWith('.js') && import.meta.url.endsWith('.ts')) {
    // Running from sources (the tests, tsx): the same worker from the CLI bundle when that bundle was
    // built from these very sources (newer than every one of them, as bin/triplet-studio.js checks),
    // which starts in 75 ms instead of 370 ms through tsx; else the sibling .ts.
    return bundledWorker(entry) ?? entry.href.replace(/\.js$/, '.ts');
  }
  return entry.href;
}

/** Whether dist/cli is newer than every file of src/main and src/shared (asked once per process). */
let bundleFresh: boolean | undefined;

/** dist/cli/<name>.js for a worker entry of src/main, when the bundle is fresh; TRIPLET_STUDIO_FROM_SOURCE=1 never. */
function bundledWorker(entry: URL): string | null {
  if (process.env.TRIPLET_STUDIO_FROM_SOURCE === '1' || !entry.href.includes('/src/main/')) return null;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const file = join(root, 'dist', 'cli', basename(fileURLToPath(entry)));
  if (!existsSync(file)) return null;
  bundleFresh ??= sourcesOlderThan(join(root, 'dist', 'cli', 'cli.cjs'), [join(root, 'src', 'main'), join(root, 'src', 'shared')]);
  return bundleFresh ? pathToFileURL(file).href : null;
}

/** Every file under `dirs` is older than `built` (which exists). */
function sourcesOlderThan(built: string, dirs: string[]): boolean {
  if (!existsSync(built)) return false;
  const time = statSync(built).mtimeMs;
  for (const dir of dirs) {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && statSync(join(e.parentPath, e.name)).mtimeMs > time) return false;
    }
  }
  return true;
}
