// The layering lint (eslint.config.js) refuses each forbidden import, static or dynamic, and accepts
// the allowed ones; and the source tree itself is clean. Files are linted as text under the path
// they would have, so no violating file has to exist.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/shared.js';

const eslint = new ESLint({ cwd: repoRoot });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${file}` });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const REFUSED: Array<[file: string, code: string]> = [
  ['src/main/ml/x.ts', "import { APP_URL } from '../electron/main.js';"],
  ['src/main/ml/onnx/x.ts', "import { startServer } from '../../server/index.js';"],
  ['src/main/store/x.ts', "import type { Dispatcher } from '../ipc/dispatch.js';"],
  ['src/main/images/x.ts', "export * from '../cli/output.js';"],
  ['src/main/triplets/x.ts', "const m = await import('../server/index.js');"],
  ['src/main/project/x.ts', "import { api } from '../../renderer/lib/api.js';"],
  ['src/main/project/x.ts', "import { REQUESTS } from '../../shared/ipc.js';"],
  ['src/main/util/x.ts', "import { app } from 'electron';"],
  ['src/main/electron/x.ts', "import { startServer } from '../server/index.js';"],
  ['src/main/electron/x.ts', "import { Project } from '../project/project.js';"],
  ['src/main/electron/x.ts', "import Database from 'better-sqlite3';"],
  ['src/main/electron/x.ts', "import * as tf from '@tensorflow/tfjs';"],
  ['src/main/electron/x.ts', "const s = await import('../store/db.js');"],
  ['src/main/server/x.ts', "import { APP_URL } from '../electron/main.js';"],
  ['src/main/server/x.ts', "const { StudioService } = await import('../project/service.js');"],
  ['src/main/cli/commands/x.ts', "import { startServer } from '../../server/index.js';"],
  ['src/main/ipc/x.ts', "import { isTrustedSender } from '../electron/policy.js';"],
  ['src/main/service/x.ts', "import { createDispatcher } from '../ipc/dispatch.js';"],
  ['src/main/host-policy/x.ts', "import { parseMediaPath } from '../server/headers.js';"],
  ['src/renderer/lib/x.ts', "import { Project } from '../../main/project/project.js';"],
  ['src/shared/x.ts', "import { Project } from '../main/project/project.js';"],
  ['src/shared/x.ts', "import { api } from '../renderer/lib/api.js';"],
];

const ALLOWED: Array<[file: string, code: string]> = [
  ['src/main/ml/x.ts', "import { AppError } from '../../shared/errors.js'; import { trainOptionsSchema } from '../../shared/train-options.js'; import { startWorker } from '../util/worker.js';"],
  ['src/main/project/service.ts', "import type { StudioServiceApi } from '../../shared/ipc.js';"],
  ['src/main/electron/x.ts', "import { ServiceClient } from '../service/client.js'; import { createDispatcher } from '../ipc/dispatch.js'; import { CSP } from '../host-policy/headers.js'; import { app } from 'electron';"],
  ['src/main/server/x.ts', "const { createStudioService } = await import('../service/create.js'); import { isAppUrl } from '../host-policy/urls.js';"],
  ['src/main/cli/commands/x.ts', "import { Project } from '../../project/project.js';"],
  ['src/renderer/lib/x.ts', "import { REQUEST_NAMES } from '../../shared/channels.js'; import { x } from './y.js';"],
  ['src/shared/x.ts', "import { z } from 'zod'; import type { ImageRecord } from './types.js';"],
];

test('the layering lint refuses every forbidden import', async () => {
  for (const [file, code] of REFUSED) {
    const found = await errors(file, code);
    assert.ok(found.length > 0 && found.every((m) => /no-restricted-(dynamic-)?import/.test(m)), `${file}: ${code} → ${found.join('; ') || 'no error'}`);
  }
});

test('the layering lint accepts the allowed imports', async () => {
  for (const [file, code] of ALLOWED) assert.deepEqual(await errors(file, code), [], `${file}: ${code}`);
});

test('a recursive mkdir is refused outside util/make-dirs.ts (it spins forever under /proc); makeDirs and other options pass', async () => {
  for (const code of ["import { mkdirSync } from 'node:fs'; mkdirSync(dir, { recursive: true });", "import fs from 'node:fs/promises'; await fs.mkdir(dir, { mode: 0o700, recursive: true });"]) {
    const found = await errors('src/main/project/x.ts', code);
    assert.ok(found.length === 1 && found[0].startsWith('no-restricted-syntax: A recursive mkdir'), `${code} → ${found.join('; ') || 'no error'}`);
  }
  assert.deepEqual(await errors('src/main/project/x.ts', "import { makeDirs } from '../util/make-dirs.js'; import { mkdirSync, rmSync } from 'node:fs'; makeDirs(dir); mkdirSync(dir, { mode: 0o700 }); rmSync(dir, { recursive: true });"), []);
  assert.deepEqual(await errors('src/main/util/make-dirs.ts', "import { mkdirSync } from 'node:fs'; mkdirSync(dir, { recursive: true });"), []);
});

test('src/ has no layering violations', async () => {
  const results = await eslint.lintFiles(['src']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.replace(repoRoot + '/', '')}:${m.line} ${m.message}`));
  assert.deepEqual(problems, []);
});

// ESLint here parses TypeScript only; .svelte components are checked by resolving their import
// specifiers: a relative import must land in src/renderer or src/shared.
test('renderer components (.svelte) import only src/shared and the renderer', () => {
  const renderer = join(repoRoot, 'src', 'renderer');
  const allowed = [renderer + sep, join(repoRoot, 'src', 'shared') + sep];
  const bad: string[] = [];
  const files = readdirSync(renderer, { recursive: true }).map(String).filter((f) => f.endsWith('.svelte'));
  assert.ok(files.length > 5, 'found the components');
  for (const f of files) {
    const file = join(renderer, f);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)) {
      if (!spec.startsWith('.')) continue; // packages (svelte, …)
      const target = resolve(dirname(file), spec);
      if (!allowed.some((root) => target.startsWith(root))) bad.push(`src/renderer/${f}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
