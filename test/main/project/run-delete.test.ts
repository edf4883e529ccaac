// Deleting runs: the rows with what is stored for them (epochs, scores, cached maps) in one
// transaction, then the model folders; a number is never given to another run; an unknown run or one
// still training refuses the whole request, store unchanged; the CLI deletes only with --yes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importImages } from '../../../src/main/images/import.js';
import { Project } from '../../../src/main/project/project.js';
import { deleteRuns, previewRunDeletion } from '../../../src/main/project/run-delete.js';
import { trainRun } from '../../../src/main/project/runs.js';
import { removeStaleModelFolders } from '../../../src/main/project/model-files.js';
import { openDb, type Db } from '../../../src/main/store/db.js';
import { insertRunningRun } from '../../../src/main/store/runs.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';
import { cliRunner } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'ts-run-delete-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A finished run with an epoch, a score, a cached map and a 1,000-byte model folder. */
function finishedRun(db: Db, dir: string): number {
  const id = insertRunningRun(db, '{}', 999_999, null);
  db.prepare(`UPDATE runs SET status = 'finished', model_dir = ? WHERE id = ?`).run(`models/run-${id}`, id);
  db.prepare('INSERT INTO run_epochs (run_id, epoch, loss, val_loss, val_accuracy, seconds) VALUES (?, 1, 0.5, 0, 0, 1)').run(id);
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, 1, 0.1, 0.9)').run(id);
  db.prepare(`INSERT INTO map_projections (source, method, fingerprint, ids, xy, seconds) VALUES (?, 'pca', 'f', x'', x'', 0)`).run(`run:${id}`);
  mkdirSync(join(dir, 'models', `run-${id}`), { recursive: true });
  writeFileSync(join(dir, 'models', `run-${id}`, 'model.json'), Buffer.alloc(1000));
  return id;
}

const count = (db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;

test('a deleted run goes with its epochs, scores, map and model files; its number is not given again', async () => {
  const dir = join(root, 'p1');
  mkdirSync(dir);
  const db = openDb(join(dir, 'project.sqlite'));
  addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg']);
  db.prepare(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES (1, 'test', 1, 2, 3, 'a.jpg', 'b.jpg', 'c.jpg', 'active', 'manual', 1)`).run();
  const [r1, r2] = [finishedRun(db, dir), finishedRun(db, dir)];

  assert.deepEqual(previewRunDeletion(db, dir, [r2, r2]), { deleted: [r2], bytes: 1000 });
  const before = count(db, 'SELECT COUNT(*) FROM runs');
  await assert.rejects(deleteRuns(db, dir, [r2, 99]), { code: 'NOT_FOUND', message: /No run 99 in this project; nothing was deleted/ });
  assert.equal(count(db, 'SELECT COUNT(*) FROM runs'), before, 'refused whole: nothing deleted');

  const r = await deleteRuns(db, dir, [r2]);
  assert.deepEqual(r, { deleted: [r2], bytes: 1000 });
  for (const table of ['runs WHERE id', 'run_epochs WHERE run_id', 'predictions WHERE run_id']) assert.equal(count(db, `SELECT COUNT(*) FROM ${table} = ?`, r2), 0, table);
  assert.equal(count(db, 'SELECT COUNT(*) FROM map_projections WHERE source = ?', `run:${r2}`), 0);
  assert.equal(existsSync(join(dir, 'models', `run-${r2}`)), false);
  assert.equal(count(db, 'SELECT COUNT(*) FROM predictions WHERE run_id = ?', r1), 1, 'the other run keeps its scores');
  // The newest run was deleted: the next one does not take its number.
  assert.equal(insertRunningRun(db, '{}', 999_999, null), r2 + 1);

  // A deletion cut short after its commit leaves the folder: it is junk at the next open.
  mkdirSync(join(dir, 'models', `run-${r2}`));
  assert.equal(removeStaleModelFolders(db, dir), 1);
  assert.equal(existsSync(join(dir, 'models', `run-${r2}`)), false);
  db.close();
});

test('a run still training is not deleted', async () => {
  const dir = join(root, 'p2');
  mkdirSync(dir);
  const db = openDb(join(dir, 'project.sqlite'));
  const live = insertRunningRun(db, '{}', process.pid, null);
  await assert.rejects(deleteRuns(db, dir, [live]), { code: 'CONFLICT', message: new RegExp(`Run ${live} is still training: cancel it first`) });
  assert.equal(count(db, 'SELECT COUNT(*) FROM runs'), 1);
  db.close();
});

test('delete-run says what it would delete and deletes nothing without --yes; with it, deletes', async () => {
  const cli = cliRunner(join(root, 'data'));
  const dir = join(root, 'p3');
  assert.equal((await cli('init', dir)).code, 0);
  const db = openDb(join(dir, 'project.sqlite'));
  addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg']);
  db.prepare(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES (1, 'test', 1, 2, 3, 'a.jpg', 'b.jpg', 'c.jpg', 'active', 'manual', 1)`).run();
  const id = finishedRun(db, dir);
  db.close();

  const asked = await cli('delete-run', dir, String(id));
  assert.equal(asked.code, 1);
  assert.match(asked.stderr, new RegExp(`This deletes run ${id} \\(0\\.0 MB of model files\\) for good; it cannot be undone\\. Add --yes to delete \\(nothing was deleted\\)\\.`));
  // With --json what it would delete is in the details too, not only in the sentence.
  const askedJson = JSON.parse((await cli('delete-run', dir, String(id), '--json')).stdout) as { error: { code: string; details: unknown } };
  assert.deepEqual([askedJson.error.code, askedJson.error.details], ['BAD_ARGUMENTS', { wouldDelete: [id], bytes: 1000 }]);
  assert.equal(existsSync(join(dir, 'models', `run-${id}`)), true);
  assert.match((await cli('delete-run', dir, 'x1')).stderr, /"x1" is not a run number/);

  const done = await cli('delete-run', dir, String(id), '--yes', '--json');
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(JSON.parse(done.stdout), { deleted: [id], bytes: 1000 });
  assert.equal(existsSync(join(dir, 'models', `run-${id}`)), false);
  assert.match((await cli('runs', dir)).stdout, /No runs yet/);
});

/** Makes a file undeletable (chattr +i) and back; false where the drive or the user cannot. */
function immutable(file: string, on: boolean): boolean {
  try {
    execFileSync('chattr', [on ? '+i' : '-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a model folder that cannot be removed: the run is deleted all the same, said, and the project still opens', async (t) => {
  const dir = join(root, 'p4');
  mkdirSync(dir);
  const db = openDb(join(dir, 'project.sqlite'));
  addFilelessImages(db, ['a.jpg', 'b.jpg', 'c.jpg']);
  db.prepare(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES (1, 'test', 1, 2, 3, 'a.jpg', 'b.jpg', 'c.jpg', 'active', 'manual', 1)`).run();
  const id = finishedRun(db, dir);
  const held = join(dir, 'models', `run-${id}`, 'model.json');
  if (!immutable(held, true)) return t.skip('chattr +i is not available here (drive or user)');
  try {
    const r = await deleteRuns(db, dir, [id]);
    assert.deepEqual(r.deleted, [id]);
    assert.equal(r.left?.length, 1);
    assert.match(r.left![0].dir, new RegExp(`run-${id}$`));
    assert.equal(count(db, 'SELECT COUNT(*) FROM runs'), 0);
    // Opening the project again (its sweep of model folders) does not fail on it.
    assert.equal(removeStaleModelFolders(db, dir), 0);
  } finally {
    immutable(held, false);
  }
  assert.equal(removeStaleModelFolders(db, dir), 1, 'once it can go, the next opening removes it');
  db.close();
});

test("a project whose models/, scratch/ or thumbs/ is a link leading out: opening, deleting runs, training and importing touch nothing there", async () => {
  // A project someone else made, its folders linked to a place of the user's with folders named as runs.
  const outside = join(root, 'outside');
  for (const d of ['run-1', 'run-2', 'run-3.partial', 'scratch']) mkdirSync(join(outside, d), { recursive: true });
  for (const f of ['run-1/results.csv', 'run-2/model.json', 'run-3.partial/notes.txt', 'scratch/other-project.sqlite']) writeFileSync(join(outside, f), 'mine');
  const dir = join(root, 'p5');
  mkdirSync(dir);
  const db = openDb(join(dir, 'project.sqlite'));
  const [r1, r2] = [insertRunningRun(db, '{}', 999_999, null), insertRunningRun(db, '{}', 999_999, null)];
  db.prepare(`UPDATE runs SET status = 'failed'`).run();
  db.prepare('INSERT INTO deleted_runs (id) VALUES (7)').run();
  db.close();
  symlinkSync(outside, join(dir, 'models'));
  symlinkSync(join(outside, 'scratch'), join(dir, 'scratch'));
  const mine = () => ['run-1/results.csv', 'run-2/model.json', 'run-3.partial/notes.txt', 'scratch/other-project.sqlite'].filter((f) => existsSync(join(outside, f)));

  // Opening sweeps model folders and scratch stores a crash left: not through these links.
  const project = Project.open(dir);
  try {
    assert.deepEqual(mine().length, 4, 'opening removed nothing outside');
    // Deleting run 2 deletes its rows; the folder named like it out there stays, said, and frees nothing.
    const r = await project.deleteRuns([r2]);
    assert.deepEqual([r.deleted, r.bytes], [[r2], 0]);
    assert.deepEqual(r.left, [{ dir: join(dir, 'models', `run-${r2}`), reason: 'the models folder is a link leading out of the project, so nothing there is removed', outside: true }]);
    assert.equal(mine().length, 4, 'deleting a run removed nothing outside');
    // Training is refused before any work, naming the link.
    await assert.rejects(trainRun(project.db, dir, { epochs: 1 }), { code: 'FORBIDDEN', message: /models leads out of the project folder \(a link\): a run's model is written only inside the project/ });
    assert.equal(project.runs().length, 1, 'no run was started');
    assert.equal(project.runs()[0].id, r1);
  } finally {
    project.close();
  }
  // With only scratch/ leading out, training is refused too.
  rmSync(join(dir, 'models'));
  const again = Project.open(dir);
  try {
    await assert.rejects(trainRun(again.db, dir, { epochs: 1 }), { code: 'FORBIDDEN', message: /scratch leads out of the project folder/ });
    // A `thumbs` link leading out: an import is refused before any work, and sweeps nothing there
    // (here a file named like a thumbnail a killed import left).
    mkdirSync(join(outside, 'thumbs', 'ab'), { recursive: true });
    writeFileSync(join(outside, 'thumbs', 'ab', 'x.webp.999999.abc.tmp'), 'mine');
    symlinkSync(join(outside, 'thumbs'), join(dir, 'thumbs'));
    await assert.rejects(importImages(again.db, dir, outside), { code: 'FORBIDDEN', message: /thumbs leads out of the project folder/ });
    assert.ok(existsSync(join(outside, 'thumbs', 'ab', 'x.webp.999999.abc.tmp')));
    assert.equal(again.listImages({}).total, 0);
  } finally {
    again.close();
  }
  assert.equal(mine().length, 4);
});
