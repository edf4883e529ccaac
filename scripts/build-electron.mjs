#!/usr/bin/env node
// Bundles the Electron side with esbuild (`npm run build:electron`):
//   dist/electron/main.cjs     main process (CJS; npm packages stay external, shipped in node_modules)
//   dist/electron/service.cjs  service process (Electron utilityProcess): StudioService, SQLite, ML
//                              workers; main.cjs must reach none of those (HEAVY_IN_MAIN, checked
//                              on every build and in test/main/electron/main-graph.test.ts)
//   dist/electron/preload.cjs  sandboxed preload (CJS; everything but `electron` inlined — a sandboxed
//                              preload cannot load node_modules)
//   dist/electron/*-worker.js  worker threads, plus the backbone engine modules that the feature
//                              worker imports by URL (ENGINE_MODULES in src/main/ml/backbone/registry.ts).
//                              ESM with code splitting so a worker and the engines it imports share
//                              one copy of each module (one engine registry per thread).
// Worker URLs in the sources are `new URL('./x-worker.js', import.meta.url)`; in the CJS main bundle
// import.meta.url is main.cjs's own URL, so they resolve next to it, where the workers are written.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'main');
const defaultOut = join(root, 'dist', 'electron');
const NODE_TARGET = 'node22'; // Electron 45 ships Node 22
const EXTERNAL = ['electron', 'better-sqlite3', 'sharp', '@tensorflow/*', 'onnxruntime-node', 'h5wasm'];
/** Packages the thin Electron main process must never load: they belong to the service process. */
export const HEAVY_IN_MAIN = [/^better-sqlite3$/, /^@tensorflow\//, /^onnxruntime-node$/, /^sharp$/];
/** Source folders whose code holds those handles (the store, the ML engines, the service itself). */
export const SERVICE_ONLY_SOURCES = [/^src\/main\/(store|ml|project|jobs|images|triplets)\//];

const mainEntries = { main: join(src, 'electron', 'main.ts') };
const serviceEntries = { service: join(src, 'service', 'main.ts') };

/**
 * Everything an output bundle reaches, from an esbuild metafile: `sources` (bundled files, relative
 * to the repo) and `packages` (npm packages left external, i.e. loaded at run time).
 */
export function reachable(metafile, outputName) {
  const key = Object.keys(metafile.outputs).find((k) => basename(k) === outputName);
  if (!key) throw new Error(`No output ${outputName} in the metafile`);
  const out = metafile.outputs[key];
  const packages = [...new Set(out.imports.filter((i) => i.external).map((i) => i.path))].sort();
  return { sources: Object.keys(out.inputs).sort(), packages };
}

/** What the Electron main entry reaches that it must not (empty when the shell is thin). */
export function heavyInMain(metafile) {
  const { sources, packages } = reachable(metafile, 'main.cjs');
  return [
    ...packages.filter((p) => HEAVY_IN_MAIN.some((re) => re.test(p))),
    ...sources.filter((f) => SERVICE_ONLY_SOURCES.some((re) => re.test(f))),
  ];
}

/** Bundles one CJS entry in memory (as the real build does) and returns its metafile. */
export async function entryGraph(entries) {
  const r = await build({ ...cjsNodeOptions(), entryPoints: entries, outdir: join(root, 'dist', 'graph'), write: false, metafile: true, logLevel: 'silent' });
  return r.metafile;
}

/** Every `*-worker.ts` under src/main → its output name (flat, next to main.cjs). */
export function findWorkers() {
  const files = readdirSync(src, { recursive: true }).map(String).filter((f) => /(^|[\\/])[\w.-]+-worker\.ts$/.test(f));
  return Object.fromEntries(files.map((f) => [basename(f, '.ts'), join(src, f)]));
}

/** Engine modules the feature worker imports by URL, relative to src/main/ml (bundled under the same path). */
export function findEngineModules() {
  const file = join(src, 'ml', 'backbone', 'registry.ts');
  if (!existsSync(file)) return {};
  const block = /ENGINE_MODULES[^=]*=\s*\{([\s\S]*?)\};/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const entries = {};
  for (const [, spec] of block.matchAll(/\[([^\]]*)\]/g)) {
    for (const [, path] of spec.matchAll(/'([^']+)'/g)) {
      // A path that leaves src/main/ml could not sit beside the flat chunks: refuse it loudly.
      const rel = /^\.\/([\w/.-]+)\.js$/.exec(path)?.[1];
      if (!rel) throw new Error(`ENGINE_MODULES path must be './<path under src/main/ml>.js': ${path}`);
      const ts = join(src, 'ml', `${rel}.ts`);
      if (existsSync(ts)) entries[rel] = ts;
    }
  }
  return entries;
}

/** `new URL('./x.js', import.meta.url)` literals in the sources whose target was not bundled. */
function unresolvedUrls(out) {
  const missing = [];
  for (const f of readdirSync(src, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts')) continue;
    // Code lines only: doc comments mention example URLs.
    const text = readFileSync(join(src, f), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n');
    for (const [, rel] of text.matchAll(/new URL\('\.\/([\w/.-]+\.js)', import\.meta\.url\)/g)) {
      if (!existsSync(join(out, rel))) missing.push(`${relative(root, join(src, f))}: ./${rel}`);
    }
  }
  return missing;
}

const cjsMeta = {
  // import.meta does not exist in CommonJS: give the bundle its own file URL/path instead.
  banner: {
    js: "const __meta_url = require('node:url').pathToFileURL(__filename).href; const __meta_dirname = __dirname; const __meta_filename = __filename;",
  },
  define: { 'import.meta.url': '__meta_url', 'import.meta.dirname': '__meta_dirname', 'import.meta.filename': '__meta_filename' },
};

/** The CJS main-side build: Node target, npm packages external (shipped in node_modules). */
function cjsNodeOptions() {
  return {
    ...cjsMeta,
    bundle: true,
    absWorkingDir: root,
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: NODE_TARGET,
    format: 'cjs',
    packages: 'external',
    external: EXTERNAL,
  };
}

/**
 * `out`: output folder (default dist/electron). `extraEntries`: more CJS entries built exactly like
 * main.cjs (tests bundle the browser-mode server this way to run the bundled service under Node).
 */
export async function buildElectron({ log = console.log, out = defaultOut, extraEntries = {} } = {}) {
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none', absWorkingDir: root };

  const cjs = await build({
    ...common,
    ...cjsNodeOptions(),
    entryPoints: { ...mainEntries, ...serviceEntries, ...extraEntries },
    outdir: out,
    metafile: true,
  });
  const heavy = heavyInMain(cjs.metafile);
  if (heavy.length) throw new Error(`The Electron main process must stay thin, but main.cjs reaches:\n  ${heavy.join('\n  ')}`);

  await build({
    ...common,
    entryPoints: { preload: join(src, 'electron', 'preload.ts') },
    outdir: out,
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: ['node22', 'chrome140'],
    format: 'cjs',
    external: ['electron'],
    minify: true,
  });

  const workers = findWorkers();
  const engines = findEngineModules();
  const workerEntries = { ...workers, ...engines };
  if (Object.keys(workerEntries).length) {
    await build({
      ...common,
      entryPoints: workerEntries,
      outdir: out,
      // Chunks sit next to the workers, so import.meta.url-relative paths in shared code
      // (ENGINE_MODULES in backbone/registry.ts) resolve the same as from any entry.
      chunkNames: 'chunk-[hash]',
      splitting: true,
      platform: 'node',
      target: NODE_TARGET,
      format: 'esm',
      packages: 'external',
      external: EXTERNAL,
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  }

  const missing = unresolvedUrls(out);
  if (missing.length) throw new Error(`Worker/module URLs with no bundled file:\n  ${missing.join('\n  ')}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`Electron bundles in ${relative(root, out)} (${seconds} s): main.cjs, service.cjs, preload.cjs${Object.keys(workerEntries).map((n) => `, ${n}.js`).join('')}`);
  return { out, workers: Object.keys(workers), engines: Object.keys(engines) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildElectron().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
