// Project-level training on a small slice of the flowers data: resumable embed, cancel, finished runs,
// re-evaluation after a label fix, mistakes and neighbours.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Project } from '../../../src/main/project/project.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { addTestOnlyPhotos, makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { cliRunner } from '../../helpers/cli.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);

const root = mkdtempSync(join(tmpdir(), 'ts-train-'));
let project: Project;
let data: ReturnType<typeof makeFlowersSubset>;
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;


before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  data = makeFlowersSubset(root, { perClass: 6, seed: 7, trainLines: 120, testLines: 40, testHeader: '# held out\n' });
  project = Project.init(join(root, 'project'));
  const r = await project.importImages(data.images);
  assert.equal(r.added, 30);
  await project.importTriplets(data.train, 'train');
  await project.importTriplets(data.test, 'test', { allowLeakage: true }); // synthetic data: test triplets reuse train images
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

const count = (sql: string, ...args: unknown[]) => project.db.prepare(sql).pluck().get(...args) as number;

test('a killed embed keeps finished batches and the next embed computes only the rest', { skip }, async () => {
  const ac = new AbortController();
  await assert.rejects(
    project.embed(BACKBONE, { signal: ac.signal, onProgress: (p) => p.done > 0 && ac.abort() }),
    { name: 'AbortError' },
  );
  const kept = count('SELECT COUNT(*) FROM feature_cache WHERE backbone = ?', BACKBONE);
  assert.ok(kept > 0 && kept < 30, `${kept} features kept`);
  const r = await project.embed(BACKBONE);
  assert.deepEqual([r.computed, r.cached, r.failed.length], [30 - kept, kept, 0]);
  const blob = project.db.prepare('SELECT dim, length(data) AS n FROM feature_cache LIMIT 1').get() as { dim: number; n: number };
  assert.deepEqual([blob.dim, blob.n], [768, 768 * 4]);
});

test('cancelling training marks the run cancelled with no predictions and no model', { skip }, async () => {
  const ac = new AbortController();
  await assert.rejects(
    project.train({ epochs: 50, seed: 1 }, { signal: ac.signal, onProgress: (p) => p.phase === 'train' && ac.abort() }),
    { name: 'AbortError' },
  );
  const run = project.runs().at(-1)!;
  assert.equal(run.status, 'cancelled');
  assert.equal(count('SELECT COUNT(*) FROM predictions WHERE run_id = ?', run.id), 0);
  assert.equal(count('SELECT COUNT(*) FROM run_epochs WHERE run_id = ?', run.id), 0);
  assert.equal(existsSync(join(project.dir, 'models', `run-${run.id}`)), false);
  assert.equal(existsSync(join(project.dir, 'models', `run-${run.id}.partial`)), false);
});

test('a run cancelled after two epochs keeps those epochs (loss, accuracy) but no predictions or model', { skip }, async () => {
  const ac = new AbortController();
  const closed: { epoch: number; loss: number; valAccuracy: number }[] = [];
  await assert.rejects(
    project.train({ epochs: 50, seed: 1 }, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase !== 'train' || !p.keep) return;
        closed.push({ epoch: p.epoch!, loss: p.loss!, valAccuracy: p.valAccuracy! });
        if (closed.length === 2) ac.abort();
      },
    }),
    { name: 'AbortError' },
  );
  const run = project.runs().at(-1)!;
  assert.equal(run.status, 'cancelled');
  assert.ok(run.epochs.length >= 2 && run.epochs.length < 50, `${run.epochs.length} epochs kept`);
  assert.deepEqual(run.epochs.slice(0, 2).map((e) => ({ epoch: e.epoch, loss: e.loss, valAccuracy: e.valAccuracy })), closed);
  assert.ok(run.epochs.every((e) => Number.isFinite(e.valLoss) && e.seconds > 0));
  assert.equal(count('SELECT COUNT(*) FROM predictions WHERE run_id = ?', run.id), 0);
  assert.equal(existsSync(join(project.dir, 'models', `run-${run.id}`)), false);
});

test('a finished run records epochs, predictions and its model; evaluate follows label fixes', { skip }, async () => {
  const run = await project.train({ epochs: 4, seed: 1 });
  assert.equal(run.status, 'finished');
  assert.equal(run.epochs.length, 4);
  assert.equal(run.testCount, 40);
  assert.ok(run.testAccuracy !== null && run.baselineAccuracy !== null);
  assert.ok(existsSync(join(project.dir, 'models', `run-${run.id}`, 'model.json')));
  assert.equal(count('SELECT COUNT(*) FROM predictions WHERE run_id = ?', run.id), 40);

  const first = await project.evaluate();
  assert.equal(first.result.run, run.id);
  assert.equal(first.result.accuracy, run.testAccuracy);
  assert.deepEqual(first.scored.map((s) => s.line), Array.from({ length: 40 }, (_, i) => i + 2), 'import order, file lines');

  const mistakes = await project.mistakes();
  assert.equal(mistakes.length, first.scored.filter((s) => !s.correct).length);
  const listed = project.listTriplets({ split: 'test', mispredicted: true, limit: 100 });
  assert.equal(listed.total, mistakes.length);

  // Swap a correctly predicted test triplet: it becomes a mistake, without retraining.
  const ok = first.scored.find((s) => s.correct)!;
  project.editTriplet(ok.tripletId, { kind: 'swap' });
  assert.equal(project.listTriplets({ split: 'test', mispredicted: true, limit: 100 }).total, mistakes.length + 1);
  const second = await project.evaluate();
  assert.equal(Math.round(second.result.accuracy! * 40), Math.round(first.result.accuracy! * 40) - 1);
  // Excluding it removes it from evaluation.
  project.editTriplet(ok.tripletId, { kind: 'exclude' });
  assert.equal((await project.evaluate()).result.count, 39);
});

test('a damaged model file is said as such (INVALID_FILE, naming the run and the file), not as a bug', { skip }, async () => {
  const run = project.runs().find((r) => r.status === 'finished')!;
  const file = join(project.dir, 'models', `run-${run.id}`, 'model.json');
  const kept = readFileSync(file);
  const other = Project.open(project.dir); // no encoder cached yet
  try {
    // Emptied (a crash before the bytes reached the drive), and cut short against its weights.
    for (const damage of ['', JSON.stringify({ weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [1 << 26] }] }] })]) {
      writeFileSync(file, damage);
      await assert.rejects(other.evaluate(run.id), (err: { code?: string; message: string }) => {
        assert.equal(err.code, 'INVALID_FILE', err.message);
        assert.match(err.message, new RegExp(`^The model files of run ${run.id} are damaged \\(.*model\\.json: .*\\)\\. Train again`));
        return true;
      });
    }
  } finally {
    writeFileSync(file, kept);
    other.close();
  }
});

test('a run validating on held-out images records what validation used', { skip }, async () => {
  const run = await project.train({ epochs: 2, seed: 1, validationSplit: 0.5, ensemble: 1 });
  assert.equal(run.status, 'finished');
  assert.equal(run.validation?.heldImages, 15, 'half of the 30 training images');
  assert.ok(run.valCount > 0 && run.valCount === run.validation?.triplets, `${run.valCount} validation triplets`);
  assert.equal(run.trainCount + run.valCount + run.validation!.unused, 120, 'every train triplet accounted for');
  const plain = await project.train({ epochs: 2, seed: 1, validationSplit: 0 });
  assert.deepEqual(plain.validation, { heldImages: 0, triplets: 0, unused: 0, tripletSource: 'memory' });
  assert.equal(plain.trainCount, 120);
});

test('neighbours: k nearest by the latest run, self excluded, ascending distance', { skip }, async () => {
  const id = project.listImages({ folder: 'roses' }).items[0].id;
  const n = await project.neighbours(id, 5);
  assert.equal(n.length, 5);
  assert.ok(n.every((x) => x.image.id !== id));
  for (let i = 1; i < n.length; i++) assert.ok(n[i - 1].distance <= n[i].distance);
  await assert.rejects(project.neighbours(id, 5, 1), { code: 'NOT_FOUND' }, 'run 1 was cancelled');
});

test('without test triplets a run has no test accuracy (null, not 0%), and the CLI says why', { skip }, async () => {
  const cli = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const dir = join(root, 'no-test');
  for (const args of [['init', dir], ['import-images', dir, data.images], ['import-triplets', dir, data.train, '--split', 'train']]) {
    const r = await cli(...args);
    assert.equal(r.code, 0, r.stderr);
  }
  const trained = await cli('train', dir, '--epochs', '2', '--seed', '1');
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /Run 1 finished: no test triplets to score it/);
  const runs = JSON.parse((await cli('runs', dir, '--json')).stdout) as { testCount: number; testAccuracy: number | null; baselineAccuracy: number | null }[];
  assert.deepEqual([runs[0].testCount, runs[0].testAccuracy, runs[0].baselineAccuracy], [0, null, null]);
  const evaluated = await cli('evaluate', dir, '--json');
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const e = JSON.parse(evaluated.stdout) as { accuracy: number | null; count: number; accuracyAsImported: number | null };
  assert.deepEqual([e.accuracy, e.count, e.accuracyAsImported], [null, 0, null]);
  assert.match((await cli('evaluate', dir)).stdout, /Run 1: no active test triplets to score/);
});

test('when no test triplet can be scored (unreadable images), the CLI says so instead of "no test triplets" or "no mistakes"', { skip }, async () => {
  const cli = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const where = join(root, 'unreadable');
  const sub = makeFlowersSubset(where, { perClass: 3, seed: 5, trainLines: 20, testLines: 0 });
  const extra = addTestOnlyPhotos(where);
  const dir = join(where, 'project');
  for (const args of [['init', dir], ['import-images', dir, sub.images], ['import-triplets', dir, sub.train, '--split', 'train'], ['import-triplets', dir, extra.test, '--split', 'test']]) {
    const r = await cli(...args);
    assert.equal(r.code, 0, r.stderr);
  }
  for (const f of extra.files) writeFileSync(f, 'not an image any more');
  const trained = await cli('train', dir, '--epochs', '2', '--seed', '1');
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /Run 1 finished: none of its 2 test triplets could be scored/);
  assert.doesNotMatch(trained.stdout, /no test triplets/);
  const e = JSON.parse((await cli('evaluate', dir, '--json')).stdout) as { accuracy: number | null; count: number; unscored: number };
  assert.deepEqual([e.accuracy, e.count, e.unscored], [null, 0, 2]);
  assert.match((await cli('evaluate', dir)).stdout, /Run 1: none of the 2 active test triplets could be scored \(an image of each has no features/);
  assert.match((await cli('mistakes', dir)).stdout, /^No mistakes to list: none of the 2 active test triplets could be scored/);
  // One scorable test triplet beside them: scored, and the two still named.
  const one = join(where, 'one.txt');
  writeFileSync(one, readFileSync(sub.train, 'utf8').split('\n')[0] + '\n');
  const r = await cli('import-triplets', dir, one, '--split', 'test', '--allow-leakage');
  assert.equal(r.code, 0, r.stderr);
  const again = JSON.parse((await cli('evaluate', dir, '--json')).stdout) as { count: number; unscored: number };
  assert.deepEqual([again.count, again.unscored], [1, 2]);
  assert.match((await cli('evaluate', dir)).stdout, /on 1 test triplets \(untrained baseline [^)]*\); 2 more active test triplets could not be scored/);
  // --out keeps one line per test triplet in import order: the two it could not score are "-", so
  // line 3 is still the third triplet (it wrote the scored one alone, on line 1).
  const out = join(where, 'pred.txt');
  const written = await cli('evaluate', dir, '--out', out);
  assert.match(written.stdout, /Wrote 3 lines to .*pred\.txt \(2 "-": not scored\)/);
  assert.match(readFileSync(out, 'utf8'), /^-\n-\n[01]\n$/);
  // mistakes names where each triplet came from.
  const listed = await cli('mistakes', dir);
  assert.match(listed.stdout, /^file:line|^No mistakes among the 1 scored/);
  if (listed.stdout.startsWith('file:line')) assert.match(listed.stdout, /\bone\.txt:1\b/);
});
