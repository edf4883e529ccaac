// A fresh project with nothing in it: `suggest` and `audit` say what to do first instead of an
// empty table, the lists say they are empty (and --json stays a plain empty result).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-cli-empty-'));
const P = join(root, 'project');
const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
after(() => rmSync(root, { recursive: true, force: true }));

test('suggest and audit on an empty project name the command to run first', { skip }, async () => {
  assert.equal((await cli('init', P)).code, 0);
  const suggest = await cli('suggest', P);
  assert.equal(suggest.code, 0, suggest.stderr);
  assert.match(suggest.stdout, /No suggestions: no image is imported yet.*`import-images DIR FOLDER`/);
  assert.deepEqual(JSON.parse((await cli('suggest', P, '--json')).stdout), []);
  const audit = await cli('audit', P);
  assert.equal(audit.code, 0, audit.stderr);
  assert.match(audit.stdout, /No train triplets to score yet: import a train file \(`import-triplets DIR FILE --split train`\)/);
  assert.deepEqual(JSON.parse((await cli('audit', P, '--json')).stdout).suspects, []);
  // The lists say they are empty (nothing printed looked like a failure).
  assert.match((await cli('images', P)).stdout, /^No images yet: import a folder with `import-images DIR FOLDER`\.$/m);
  assert.deepEqual(JSON.parse((await cli('images', P, '--json')).stdout), []);
  assert.match((await cli('triplets', P)).stdout, /^No triplets\.$/m);
  assert.match((await cli('runs', P)).stdout, /^No runs yet\.$/m);
});
