// A fresh project with nothing in it: `suggest` and `audit` say what to do first instead of an
// empty table, the lists say they are empty (and --json stays a plain empty result).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
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

test('suggest with fewer than 3 images outside test triplets says that is why, not "every pairing is labelled"', { skip }, async () => {
  const small = join(root, 'small');
  const data = makeFlowersSubset(join(root, 'small-data'), { perClass: 1, seed: 1, trainLines: 0, testLines: 0 });
  assert.equal((await cli('init', small)).code, 0);
  assert.equal((await cli('import-images', small, data.images)).code, 0);
  // One test triplet on 3 of the 5 photos leaves 2 that suggestions may use.
  const [a, b, c] = readdirSync(data.images).map((cls) => `${cls}/${readdirSync(join(data.images, cls))[0]}`);
  const testFile = join(root, 'small-test.txt');
  writeFileSync(testFile, `${a} ${b} ${c}\n`);
  assert.equal((await cli('import-triplets', small, testFile, '--split', 'test')).code, 0);
  const r = await cli('suggest', small);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^No suggestions \(from raw image features \(no model yet\)\): Only 2 images are outside test triplets, and a suggestion needs 3: .* Import more with `import-images DIR FOLDER`\.$/m);
  assert.deepEqual(JSON.parse((await cli('suggest', small, '--json')).stdout), []);
});
