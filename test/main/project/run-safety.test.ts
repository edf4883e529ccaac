// A training run's results survive a busy database and edits made while it trains: the finishing commit
// waits (and says so) for as long as another process holds the write lock; the run scores the triplets it
// started with; evaluate reports accuracy on the current labels and on the labels as first imported.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WAITING_PHASE } from '../../../src/main/project/commit.js';
import { DB_FILE, Project } from '../../../src/main/project/project.js';
import { repoRoot, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const root = mkdtempSync(join(tmpdir(), 'ts-run-safety-'));
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
let project: Project;


before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const data = makeFlowersSubset(root, { perClass: 5, seed: 11, trainLines: 100, testLines: 40 });
  project = Project.init(join(root, 'project'));
  await project.importImages(data.images);
  await project.importTriplets(data.train, 'train');
  await project.importTriplets(data.test, 'test', { allowLeakage: true }); // synthetic data: test triplets reuse train images
  await project.embed(BACKBONE);
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

/** Another process that takes the project's write lock on "lock" and releases it on "release". */
function lockHolder(file: string): { child: ChildProcessWithoutNullStreams; send: (cmd: 'lock' | 'release') => void; locked: Promise<void> } {
  const code = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)});
    require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
      if (l === 'lock') { d.exec('BEGIN IMMEDIATE'); console.log('locked'); }
      if (l === 'release') { d.exec('COMMIT'); d.close(); console.log('released'); process.exit(0); }
    }); console.log('ready');`;
  const child = spawn(process.execPath, ['-e', code], { cwd: repoRoot });
  const locked = new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
  return { child, send: (cmd) => child.stdin.write(cmd + '\n'), locked };
}

test('a run finishing while another process holds the write lock for > 5 s waits, says so, and is saved', { skip, timeout: 180_000 }, async () => {
  const holder = lockHolder(join(project.dir, DB_FILE));
  let asked = false;
  let waitingSince = 0;
  const messages: string[] = [];
  try {
    const run = await project.train(
      { epochs: 40, seed: 1 },
      {
        onProgress: (p) => {
          if (p.phase === 'train' && !asked) ((asked = true), holder.send('lock'));
          if (p.phase === WAITING_PHASE) {
            messages.push(p.message ?? '');
            if (!waitingSince) ((waitingSince = Date.now()), setTimeout(() => holder.send('release'), 6500));
          }
        },
      },
    );
    assert.ok(waitingSince > 0, 'the finishing commit met the lock and reported waiting');
    assert.ok(Date.now() - waitingSince >= 6000, 'it waited longer than the 5 s busy timeout');
    assert.match(messages[0], /^Another process is writing to the project; the results are kept/);
    assert.equal(run.status, 'finished');
    assert.equal(run.testCount, 40);
    assert.ok(existsSync(join(project.dir, 'models', `run-${run.id}`, 'model.json')));
    assert.equal(project.db.prepare('SELECT COUNT(*) FROM predictions WHERE run_id = ?').pluck().get(run.id), 40);
  } finally {
    holder.child.kill();
  }
});

test('edits made while a run trains neither crash it nor change its accuracy; evaluate reports both accuracies', { skip, timeout: 180_000 }, async () => {
  const reference = await project.train({ epochs: 6, seed: 2 });
  const scored = (await project.evaluate(reference.id)).scored;
  const swapped = scored.find((s) => !s.correct) ?? scored[0];
  const deleted = scored.find((s) => s.correct && s !== swapped)!;
  let edited = false;
  const run = await project.train(
    { epochs: 6, seed: 2 },
    {
      onProgress: (p) => {
        if (p.phase !== 'train' || edited) return;
        edited = true; // as the user would in Review while the run trains
        project.editTriplet(swapped.tripletId, { kind: 'swap' });
        project.editTriplet(deleted.tripletId, { kind: 'delete' });
      },
    },
  );
  assert.ok(edited);
  assert.equal(run.status, 'finished');
  assert.equal(run.testCount, 40, 'scored on its snapshot');
  assert.equal(run.testAccuracy, reference.testAccuracy, 'same seed, same snapshot: same accuracy');
  const pred = (runId: number, id: number) =>
    project.db.prepare('SELECT d_ap AS dAP, d_an AS dAN FROM predictions WHERE run_id = ? AND triplet_id = ?').get(runId, id) as { dAP: number; dAN: number } | undefined;
  assert.equal(pred(run.id, deleted.tripletId), undefined, 'no prediction for the deleted triplet');
  assert.deepEqual(pred(run.id, swapped.tripletId), { dAP: swapped.dAN, dAN: swapped.dAP }, 'stored for the current (swapped) label');

  // accuracy: current labels (39, one swapped); accuracyAsImported: the 40 labels as imported.
  const current = scored.filter((s) => s.tripletId !== deleted.tripletId).map((s) => (s.tripletId === swapped.tripletId ? !s.correct : s.correct));
  const { result } = await project.evaluate(reference.id);
  assert.deepEqual(
    [result.count, result.accuracy, result.countAsImported, result.accuracyAsImported],
    [39, current.filter(Boolean).length / 39, 40, reference.testAccuracy],
  );
});

test('a read-only project lists runs, shows mistakes and evaluates from cached features, storing nothing', { skip, timeout: 120_000 }, async () => {
  const latest = project.runs().at(-1)!;
  const predictions = () => project.db.prepare('SELECT COUNT(*), SUM(d_ap) FROM predictions').raw().get();
  const before = predictions();
  const expected = (await project.evaluate(latest.id)).result;
  const stored = predictions();
  const ro = Project.open(project.dir, { readOnly: true });
  try {
    assert.equal(ro.readOnly, true);
    assert.deepEqual(ro.runs().map((r) => r.id), project.runs().map((r) => r.id));
    const { result } = await ro.evaluate(latest.id);
    assert.deepEqual(result, { ...expected, readOnly: true });
    assert.equal((await ro.mistakes(latest.id)).length, (await project.mistakes(latest.id)).length);
    await assert.rejects(async () => ro.train({ epochs: 1 }), { code: 'FORBIDDEN' });
  } finally {
    ro.close();
  }
  assert.deepEqual(predictions(), stored);
  assert.ok(before);
});
