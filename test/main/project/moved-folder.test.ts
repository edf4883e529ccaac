// A photo folder moved after import: every image's file is missing. Training, similarity search,
// suggestions and the map say so (not "0 neighbours" or "no image imported") and how to recover, and importing the
// folder from where it is now joins the files to their images, so the same labels train again.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { Project } from '../../../src/main/project/project.js';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-moved-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a moved photo folder: the CLI names the missing files and the way back, and importing the folder again recovers', { skip }, async () => {
  const data = makeFlowersSubset(root, { perClass: 3, seed: 3, trainLines: 20, testLines: 0 });
  const dir = join(root, 'project');
  const p = Project.init(dir);
  assert.equal((await p.importImages(data.images)).added, 15);
  await p.importTriplets(data.train, 'train');
  const name = p.listImages({ limit: 1 }).items[0].name;
  p.close();
  const moved = join(root, 'moved');
  renameSync(data.images, moved);

  const cli = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const train = await cli('train', dir, '--epochs', '2', '--seed', '1');
  assert.notEqual(train.code, 0);
  assert.match(train.stderr, /None of the 20 train triplets can be used\. .*missing file\)\. Moved the folder\? Import it again from where it is now/);
  const near = await cli('neighbours', dir, name);
  assert.notEqual(near.code, 0);
  assert.match(near.stderr, new RegExp(`Image "${name}" has no features: its file is missing`));
  const suggested = await cli('suggest', dir);
  assert.equal(suggested.code, 0, suggested.stderr);
  assert.match(suggested.stdout, /^No suggestions: 15 images outside test triplets have no features \(their files are missing or unreadable\); `embed DIR` names them\. Moved the folder\?/);
  assert.equal(JSON.parse((await cli('suggest', dir, '--json')).stdout).length, 0);
  const gone = JSON.parse((await cli('images', dir, '--missing', '--json')).stdout) as { name: string; missing: boolean }[];
  assert.deepEqual([gone.length, gone.every((i) => i.missing)], [15, true]);
  const mapped = await cli('map', dir);
  assert.equal(mapped.code, 0, mapped.stderr);
  assert.match(mapped.stdout, /map of 0 of 15 images .*\nNot on the map: 15 images have no features \(their files are missing or unreadable\)\. Moved the folder\?/);

  const again = await cli('import-images', dir, moved, '--json');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).added, 0, 'the files join the images they were, none is added');
  assert.match((await cli('images', dir, '--missing')).stdout, /^No file is missing: every one of the 15 images is where it was imported from\./);
  const retrained = await cli('train', dir, '--epochs', '2', '--seed', '1');
  assert.equal(retrained.code, 0, retrained.stderr);
  assert.match(retrained.stdout, /Run 2 finished/);
  const found = JSON.parse((await cli('neighbours', dir, name, '--json')).stdout) as { name: string }[];
  assert.equal(found.length, 12, 'every other image is searched again');

  // A photo imported and gone before its features were computed (features computed before stay
  // cached by content): the rest still works, and each list says what it left out.
  const taken = new Set(readdirSync(moved, { recursive: true }).map((f) => basename(String(f))));
  const [file, cls] = readFileSync(join(flowersDir(), 'classes.tsv'), 'utf8').split('\n').map((l) => l.split('\t')).find(([f]) => f?.endsWith('.jpg') && !taken.has(f))!;
  const late = join(moved, 'late', file);
  mkdirSync(join(moved, 'late'));
  copyFileSync(join(flowersDir(), 'images', cls, file), late);
  assert.equal(JSON.parse((await cli('import-images', dir, moved, '--json')).stdout).added, 1);
  rmSync(late);
  assert.deepEqual(JSON.parse((await cli('images', dir, '--missing', '--json')).stdout).map((i: { name: string }) => i.name), [`late/${file}`]);
  const some = await cli('suggest', dir);
  assert.equal(some.code, 0, some.stderr);
  assert.match(some.stdout, /suggestions among 15 images/);
  assert.match(some.stdout, /\nNot suggested: 1 image outside test triplets has no features \(its file is missing or unreadable\)/);
  const nearNow = await cli('neighbours', dir, name);
  assert.match(nearNow.stdout, /12 neighbours by run 2 encodings .*; 1 image of the project has no features \(its file is missing or unreadable\), so it was not searched/);
});
