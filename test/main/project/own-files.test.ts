// An export never writes over part of the project: its database (and SQLite's files beside it), the
// folders the app fills, the project folder itself — also reached through a symlink or `..`. Before
// this guard, `export-triplets DIR --split train DIR/project.sqlite` replaced every label.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { projectPartAt, refuseProjectParts } from '../../../src/main/project/own-files.js';

const root = mkdtempSync(join(tmpdir(), 'ts-own-files-'));
after(() => rmSync(root, { recursive: true, force: true }));
const P = join(root, 'project');
mkdirSync(join(P, 'models', 'run-1'), { recursive: true });
writeFileSync(join(P, 'project.sqlite'), '');

test('the database, its -wal/-shm, the managed folders and the folder itself are refused', () => {
  for (const [target, part] of [
    [join(P, 'project.sqlite'), 'the project database (every label and run)'],
    [join(P, 'project.sqlite-wal'), 'the project database (every label and run)'],
    [join(P, 'models', 'run-1', 'model.json'), "the project's models/ folder, which the app manages"],
    [join(P, 'thumbs'), "the project's thumbs/ folder, which the app manages"],
    [join(P, 'scratch', 'x.sqlite'), "the project's scratch/ folder, which the app manages"],
    [P + '/', 'the project folder itself'],
    [join(P, 'exports', '..', 'project.sqlite'), 'the project database (every label and run)'],
  ]) {
    assert.equal(projectPartAt(P, target), part, target);
  }
  assert.throws(() => refuseProjectParts(P, [join(root, 'ok.txt'), join(P, 'project.sqlite')]), {
    code: 'FORBIDDEN',
    message: `${join(P, 'project.sqlite')} is the project database (every label and run); an export never writes there. Choose another file or folder.`,
  });
});

test('exports beside the database, in received/ or in exports/ are fine; so is a link that leads elsewhere', () => {
  for (const ok of [join(P, 'project.sqlite-notes.txt'), join(P, 'train-fixed.txt'), join(P, 'exports', 'run-1', 'model.onnx'), join(P, 'received', 'a.txt'), join(P, 'project.txt'), join(root, 'elsewhere.csv')]) {
    assert.equal(projectPartAt(P, ok), null, ok);
  }
  refuseProjectParts(P, [undefined, join(P, 'exports', 'e.csv')]);
});

test('a symlink to the database (or to the project) counts as the database', () => {
  symlinkSync(join(P, 'project.sqlite'), join(root, 'link.sqlite'));
  symlinkSync(P, join(root, 'link-project'));
  assert.equal(projectPartAt(P, join(root, 'link.sqlite')), 'the project database (every label and run)');
  assert.equal(projectPartAt(P, join(root, 'link-project', 'project.sqlite')), 'the project database (every label and run)');
  assert.equal(projectPartAt(join(root, 'link-project'), join(P, 'models', 'x')), "the project's models/ folder, which the app manages");
});
