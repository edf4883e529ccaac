// A project on a read-only drive through the real CLI (a read-only tmpfs; mounting needs root, as CI
// runs, and the test skips saying so elsewhere): what needs features says they cannot be computed
// there, not that the files are missing with a way back that cannot work; edits are refused saying why.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDb } from '../../../src/main/store/db.js';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { mountTmpfs, remountReadOnly, unmount } from '../../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-read-only-'));
const drive = join(root, 'drive');
mkdirSync(drive);
const skip = skipWithoutBackbone('mobilenet_v1_0.75_224') || mountTmpfs(drive, '16m');
after(() => {
  if (!skip) unmount(drive);
  rmSync(root, { recursive: true, force: true });
});
const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });

test('read-only: suggest, map and neighbours say features cannot be computed there; add is refused', { skip }, async () => {
  const data = makeFlowersSubset(join(root, 'photos'), { perClass: 2, seed: 5, trainLines: 4, testLines: 2 });
  const P = join(drive, 'project');
  assert.equal((await cli('init', P)).code, 0);
  assert.equal((await cli('import-images', P, data.images)).code, 0);
  // One triplet flagged (an image changed on disk), for the flag clearing below.
  const db = openDb(join(P, 'project.sqlite'));
  db.exec(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq)
    SELECT 1, 'train', 1, 2, 3, 'a', 'b', 'c', 'active', 'manual', 1; INSERT INTO triplet_flags (triplet_id, image_id, reason) VALUES (1, 1, 'changed')`);
  db.close();
  remountReadOnly(drive);

  const hint = 'The project is open read-only here, so features cannot be computed and saved: copy the folder somewhere you can write and open the copy.';
  const suggest = await cli('suggest', P);
  assert.equal(suggest.code, 0, suggest.stderr);
  assert.match(suggest.stdout, /^No suggestions: 10 images outside test triplets have no features \(not computed yet, or their files are missing\); /);
  assert.ok(suggest.stdout.includes(hint), suggest.stdout);
  assert.doesNotMatch(suggest.stdout, /Import it again/);

  const map = await cli('map', P);
  assert.equal(map.code, 0, map.stderr);
  assert.ok(map.stdout.includes(`Not on the map: 10 images have no features (not computed yet, or their files are missing). ${hint}`), map.stdout);

  const names = (JSON.parse((await cli('images', P, '--json')).stdout) as { name: string }[]).map((i) => i.name);
  const near = await cli('neighbours', P, names[0]);
  assert.equal(near.code, 1, 'the query itself has no features');
  assert.ok(near.stderr.includes(`Image "${names[0]}" has no features: not computed yet, or its file is missing. ${hint}`), near.stderr);

  const add = await cli('add', P, names[0], names[2], names[4], '--split', 'train');
  assert.equal(add.code, 1);
  assert.match(add.stderr, /is read-only here, so the project is open for viewing and export only/);
  // Clearing flags says the same (it gave SQLite's "cannot be written", the parity review found).
  const clear = await cli('flagged', P, '--clear', '1');
  assert.equal(clear.code, 1);
  assert.match(clear.stderr, /Cannot clear flags: .*is read-only here/);
});
