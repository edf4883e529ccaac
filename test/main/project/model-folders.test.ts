// A run's model folder and a crash or a swapped project folder: a folder put in place for a run that
// was never saved as finished, or a half-written .partial, goes at the next open (a finished run's
// never does, nor a whole folder no run of this store knows); a model is not saved into another
// project put at the path while it trained; a folder in a new run's place is moved aside, not lost.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/ml/defaults.js';
import { saveModelFolder } from '../../../src/main/project/model-files.js';
import { Project } from '../../../src/main/project/project.js';

const root = mkdtempSync(join(tmpdir(), 'ts-model-folders-'));
after(() => rmSync(root, { recursive: true, force: true }));

const w = (name: string, shape: number[]) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
const enc = { weights: [w('dense_1/kernel', [6, 5]), w('dense_1/bias', [5]), w('dense_2/kernel', [5, 3]), w('dense_2/bias', [3])] };
const options = { ...DEFAULT_TRAIN_OPTIONS, hidden: 5, embedding: 3 };

function folder(dir: string, name: string): void {
  mkdirSync(join(dir, 'models', name), { recursive: true });
  writeFileSync(join(dir, 'models', name, 'model.json'), '{}');
}

test('at open: folders of failed or cancelled runs and stray .partial ones go; finished runs and unknown whole folders stay', () => {
  const dir = join(root, 'p1');
  const p = Project.init(dir);
  const run = p.db.prepare(`INSERT INTO runs (id, status, options, backend, model_dir) VALUES (?, ?, '{}', 'cpu', ?)`);
  run.run(1, 'failed', null); // killed after its folder was renamed into place, before the commit
  run.run(2, 'cancelled', null);
  run.run(3, 'finished', 'models/run-3');
  for (const name of ['run-1', 'run-2.partial', 'run-3', 'run-9', 'run-8.partial', 'notes']) folder(dir, name);
  p.close();
  Project.open(dir).close();
  assert.deepEqual(readdirSync(join(dir, 'models')).sort(), ['notes', 'run-3', 'run-9']);
});

test('a model is not saved into another project put at the path while the run trained; one in the way is moved aside', async () => {
  const dir = join(root, 'p2');
  const p = Project.init(dir);
  try {
    // Swapped: the old folder moved away, a copy of another project in its place.
    renameSync(dir, `${dir}-moved`);
    cpSync(`${dir}-moved`, dir, { recursive: true });
    await assert.rejects(saveModelFolder(dir, 'models/run-1', enc, options, () => p.inPlace()), { code: 'NOT_FOUND', message: /moved, renamed, replaced or deleted/ });
    assert.equal(existsSync(join(dir, 'models', 'run-1')), false);
    assert.equal(existsSync(join(dir, 'models', 'run-1.partial')), false);
  } finally {
    p.close();
  }
  // A store restored from a backup numbers its runs again: run-1 of the later store is in the way.
  const q = Project.open(dir);
  try {
    folder(dir, 'run-1');
    await saveModelFolder(dir, 'models/run-1', enc, options, () => q.inPlace());
    assert.ok(existsSync(join(dir, 'models', 'run-1', 'model.json')));
    const aside = readdirSync(join(dir, 'models')).filter((n) => n.startsWith('run-1.unowned-'));
    assert.equal(aside.length, 1, 'the folder that was there is kept, renamed');
  } finally {
    q.close();
  }
});
