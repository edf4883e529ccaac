// Layers the build enforces (`npm run lint`, and the typecheck stage of `npm test`).
//
//   domain   src/main/{ml,store,images,triplets,jobs,project,util}: no host, no renderer, no IPC contract
//   service  src/main/service: the service process and its protocol; no host
//   hosts    src/main/{electron,server,cli}: import the service (and ipc/, host-policy/), never each other
//   ipc      src/main/ipc: the validating dispatcher, shared by the hosts; no host
//   policy   src/main/host-policy: CSP, headers, URL policy, media typing; imports no other layer
//   renderer src/renderer: only src/shared and itself
//   shared   src/shared: nothing from main or renderer
//
// Static imports and re-exports are checked by the core `no-restricted-imports` rule (regex on the
// specifier, so `../electron/x.js` and `../../electron/x.js` both count); `import()` with a literal
// specifier by the small `layers/no-restricted-dynamic-import` rule below, with the same patterns.
// Only .ts is parsed here; test/lint/layers.test.ts checks the .svelte components' imports.
import tseslint from 'typescript-eslint';

/** A folder under src/main reached by a relative specifier: `../x/…`, `../../x/…`, `./x/…` (hosts only). */
const dir = (...names) => `^(\\.\\.?/)+(${names.join('|')})/`;
/** Anything under src/main or src/renderer, from src/shared or src/renderer. */
const climbTo = (...names) => `^(\\.\\./)+(${names.join('|')})/`;

const HOSTS = ['electron', 'server', 'cli', 'ipc'];
const DOMAIN = ['ml', 'store', 'images', 'triplets', 'jobs', 'project'];
const HEAVY = ['better-sqlite3', 'sharp', 'onnxruntime-node'];

/** One layer: its files and what they must not import (regexes on the specifier, or package names). */
const LAYERS = [
  {
    name: 'domain',
    files: [`src/main/{${[...DOMAIN, 'util'].join(',')}}/**/*.ts`],
    patterns: [
      [dir(...HOSTS, 'host-policy', 'service'), 'Domain code imports no host (electron, server, cli, ipc), host policy or service process.'],
      ['(^|/)renderer/', 'Domain code imports no renderer code.'],
      ['(^|/)shared/ipc(\\.js)?$', 'Domain code does not depend on the IPC contract: import the shared type module (e.g. shared/train-options.js).'],
    ],
    packages: ['electron'],
    // The service implements the IPC contract and the job manager emits its events: they may read its types.
    except: ['src/main/project/service.ts', 'src/main/jobs/manager.ts'],
  },
  {
    name: 'domain (contract users)',
    files: ['src/main/project/service.ts', 'src/main/jobs/manager.ts'],
    patterns: [
      [dir(...HOSTS, 'host-policy', 'service'), 'Domain code imports no host (electron, server, cli, ipc), host policy or service process.'],
      ['(^|/)renderer/', 'Domain code imports no renderer code.'],
    ],
    packages: ['electron'],
  },
  {
    name: 'service',
    files: ['src/main/service/**/*.ts'],
    patterns: [[dir(...HOSTS), 'The service process is host-neutral: it imports no host.'], ['(^|/)renderer/', 'No renderer code outside the renderer.']],
    packages: ['electron'],
  },
  {
    name: 'electron',
    files: ['src/main/electron/**/*.ts'],
    patterns: [
      [dir('server', 'cli'), 'Hosts do not import each other: move shared code to host-policy/, ipc/ or service/.'],
      [dir(...DOMAIN), 'The Electron main process is a thin shell: domain code runs in the service process (src/main/service).'],
      ['(^|/)renderer/', 'No renderer code outside the renderer.'],
    ],
    packages: [...HEAVY],
    heavy: true,
  },
  {
    name: 'server',
    files: ['src/main/server/**/*.ts'],
    patterns: [
      [dir('electron', 'cli'), 'Hosts do not import each other: move shared code to host-policy/, ipc/ or service/.'],
      [dir(...DOMAIN), 'The browser-mode server reaches the domain through the service entry (src/main/service).'],
      ['(^|/)renderer/', 'No renderer code outside the renderer.'],
    ],
    packages: ['electron'],
  },
  {
    name: 'cli',
    files: ['src/main/cli/**/*.ts'],
    patterns: [
      [dir('electron', 'server'), 'Hosts do not import each other: the CLI imports neither the Electron shell nor the server.'],
      ['(^|/)renderer/', 'No renderer code outside the renderer.'],
    ],
    packages: ['electron'],
  },
  {
    name: 'ipc',
    files: ['src/main/ipc/**/*.ts'],
    patterns: [[dir('electron', 'server', 'cli'), 'The dispatcher is shared by the hosts and imports none of them.'], ['(^|/)renderer/', 'No renderer code outside the renderer.']],
    packages: ['electron'],
  },
  {
    name: 'host-policy',
    files: ['src/main/host-policy/**/*.ts'],
    patterns: [[dir(...HOSTS, 'service', ...DOMAIN, 'util'), 'Host policy is plain and host-neutral: it imports no other layer.']],
    packages: ['electron'],
  },
  {
    name: 'renderer',
    files: ['src/renderer/**/*.ts'],
    patterns: [[climbTo('main'), 'The renderer imports only src/shared and its own files.']],
  },
  {
    name: 'shared',
    files: ['src/shared/**/*.ts'],
    patterns: [[climbTo('main', 'renderer'), 'src/shared imports nothing from main or renderer.']],
  },
];

/** `import('…')` with a literal specifier, checked against the layer's patterns. */
const noRestrictedDynamicImport = {
  meta: { type: 'problem', schema: [{ type: 'array' }] },
  create(context) {
    const rules = (context.options[0] ?? []).map(([re, message]) => [new RegExp(re), message]);
    return {
      ImportExpression(node) {
        const spec = node.source.type === 'Literal' ? node.source.value : null;
        if (typeof spec !== 'string') return;
        for (const [re, message] of rules) {
          if (re.test(spec)) context.report({ node, message: `'${spec}' import is restricted: ${message}` });
        }
      },
    };
  },
};

const packagePattern = (p) => [`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, `'${p}' does not belong in this layer.`];

function layerConfig(layer) {
  const all = [...layer.patterns, ...(layer.packages ?? []).map(packagePattern)];
  if (layer.heavy) all.push(['^@tensorflow/', 'The Electron main process loads no tfjs: it runs in the service process.']);
  return {
    name: `layers/${layer.name}`,
    files: layer.files,
    ignores: layer.except ?? [],
    rules: {
      'no-restricted-imports': ['error', { patterns: all.map(([regex, message]) => ({ regex, message })) }],
      'layers/no-restricted-dynamic-import': ['error', all],
    },
  };
}

export default [
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module', ecmaVersion: 2023 },
    plugins: { layers: { rules: { 'no-restricted-dynamic-import': noRestrictedDynamicImport } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...LAYERS.map(layerConfig),
  {
    // Node's recursive mkdir spins forever on some paths (/proc): util/make-dirs.ts makes folders instead.
    name: 'make-dirs',
    files: ['src/**/*.ts'],
    ignores: ['src/main/util/make-dirs.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression:matches([callee.name=/^mkdir(Sync)?$/], [callee.property.name=/^mkdir(Sync)?$/]) Property[key.name='recursive']",
          message: "A recursive mkdir can spin forever (under /proc): use makeDirs from src/main/util/make-dirs.ts.",
        },
      ],
    },
  },
];
