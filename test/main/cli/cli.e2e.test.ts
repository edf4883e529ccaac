// End to end through the real `triplet-studio` binary on the shared flowers data (MobileNet features).
// Two projects share one feature extraction (B starts as a copy of A after `embed`) and train at the
// same time (one core each), to keep the suite short.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';
import { cliRunner } from '../../helpers/cli.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);

const root = mkdtempSync(join(tmpdir(), 'ts-cli-'));
const A = join(root, 'clean');
const B = join(root, 'noisy');
const flowers = flowersDir();

const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });

/** Runs a command that must succeed and returns its --json document. */
async function json<T>(...args: string[]): Promise<T> {
  const r = await cli(...args, '--json');
  assert.equal(r.code, 0, `triplet-studio ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

let trained: { a: { testAccuracy: number }; b: { testAccuracy: number } } | null = null;

before(async () => {
  if (skip) return;
  await json('init', A);
  const imported = await json<{ added: number; skipped: unknown[] }>('import-images', A, join(flowers, 'images'));
  assert.deepEqual([imported.added, imported.skipped.length], [300, 0]);
  const embedded = await json<{ computed: number; failed: unknown[] }>('embed', A, '--backbone', BACKBONE);
  assert.deepEqual([embedded.computed, embedded.failed.length], [300, 0]);
  cpSync(A, B, { recursive: true });
  await json('import-triplets', A, join(flowers, 'train.txt'), '--split', 'train');
  await json('import-triplets', A, join(flowers, 'test.txt'), '--split', 'test');
  await json('import-triplets', B, join(flowers, 'train_noisy.txt'), '--split', 'train');
  // The same file as test, on purpose (mistakes lists test triplets): leakage, allowed explicitly.
  await json('import-triplets', B, join(flowers, 'train_noisy.txt'), '--split', 'test', '--allow-leakage');
  const [a, b] = await Promise.all([
    json<{ testAccuracy: number }>('train', A, '--seed', '1'),
    json<{ testAccuracy: number }>('train', B, '--seed', '1'),
  ]);
  trained = { a, b };
});

after(() => rmSync(root, { recursive: true, force: true }));

test('evaluate --json: trained accuracy ≥ 0.88 and ≥ baseline + 0.10 on the 600 test triplets', { skip }, async () => {
  const r = await json<{ accuracy: number; baselineAccuracy: number; count: number; backend: string; run: number; accuracyAsImported: number; countAsImported: number; unscored: number }>(
    'evaluate',
    A,
  );
  assert.deepEqual(Object.keys(r).sort(), ['accuracy', 'accuracyAsImported', 'backend', 'baselineAccuracy', 'count', 'countAsImported', 'run', 'unscored']);
  assert.deepEqual([r.accuracyAsImported, r.countAsImported], [r.accuracy, r.count], 'no label edited: the same as imported');
  assert.deepEqual([r.count, r.unscored], [600, 0]);
  assert.ok(r.accuracy >= 0.88, `accuracy ${r.accuracy}`);
  assert.ok(r.accuracy >= r.baselineAccuracy + 0.1, `accuracy ${r.accuracy} vs baseline ${r.baselineAccuracy}`);
  assert.equal(r.accuracy, trained!.a.testAccuracy, 'evaluate agrees with the accuracy recorded at training time');
  console.log(`# clean: accuracy ${r.accuracy.toFixed(4)}, baseline ${r.baselineAccuracy.toFixed(4)}, backend ${r.backend}`);
});

test('evaluate --out writes 600 lines of 0/1 consistent with the accuracy; mistakes --json lists the zeros worst first', { skip }, async () => {
  const out = join(root, 'pred.txt');
  const human = await cli('evaluate', A, '--out', out);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /accuracy \d+\.\d% on 600 test triplets \(untrained baseline \d+\.\d%\)/);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^([01]\n){600}$/);
  const bits = text.trim().split('\n').map(Number);
  const ones = bits.filter((b) => b === 1).length;
  assert.equal(ones / 600, trained!.a.testAccuracy);

  const mistakes = await json<{ id: number; line: number; anchor: string; positive: string; negative: string; dAP: number; dAN: number }[]>('mistakes', A);
  assert.equal(mistakes.length, 600 - ones);
  assert.deepEqual(Object.keys(mistakes[0]).sort(), ['anchor', 'dAN', 'dAP', 'file', 'id', 'line', 'negative', 'positive', 'review']);
  // `id` is the triplet's, as `triplets` lists it (what `edit` takes).
  const listed = await json<{ id: number; split: string; line: number }[]>('triplets', A);
  assert.equal(listed.find((t) => t.split === 'test' && t.line === mistakes[0].line)!.id, mistakes[0].id);
  // test.txt has no comments or blank lines, so line k is the k-th prediction.
  assert.deepEqual(
    mistakes.map((m) => m.line).sort((x, y) => x - y),
    bits.flatMap((b, i) => (b === 0 ? [i + 1] : [])),
  );
  const testLines = readFileSync(join(flowers, 'test.txt'), 'utf8').split('\n');
  for (const m of mistakes) {
    assert.ok(m.dAP >= m.dAN);
    assert.equal(testLines[m.line - 1], `${m.anchor} ${m.positive} ${m.negative}`);
  }
  for (let i = 1; i < mistakes.length; i++) assert.ok(mistakes[i - 1].dAP - mistakes[i - 1].dAN >= mistakes[i].dAP - mistakes[i].dAN);
});

test('train_noisy.txt trains, and mistakes lists most of the flipped lines', { skip }, async () => {
  const mistakes = await json<{ line: number }[]>('mistakes', B);
  const flipped = new Set(readFileSync(join(flowers, 'train_noisy.flipped'), 'utf8').trim().split(/\s+/).map(Number));
  const listed = new Set(mistakes.map((m) => m.line));
  const hits = [...listed].filter((l) => flipped.has(l)).length;
  const recall = hits / flipped.size;
  const precision = hits / listed.size;
  console.log(`# noisy: ${listed.size} listed, ${flipped.size} flipped, recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, accuracy ${trained!.b.testAccuracy.toFixed(4)}`);
  assert.ok(recall >= 0.7, `recall ${recall}`);
  assert.ok(precision > 0.5, `precision ${precision}`);
});

test('runs, re-import, export round trip through the CLI', { skip }, async () => {
  type Now = { accuracy: number; scored: number; unscored: number; changed: boolean };
  const runs = await json<{ id: number; status: string; testCount: number; testAccuracy: number; epochs: unknown[]; now: Now }[]>('runs', A);
  assert.equal(runs.length, 1);
  assert.deepEqual([runs[0].status, runs[0].testCount], ['finished', 600]);
  assert.ok(runs[0].epochs.length > 0);
  assert.deepEqual(runs[0].now, { accuracy: runs[0].testAccuracy, scored: 600, unscored: 0, changed: false });
  // A swapped test label moves the run's score on today's labels by one triplet; undo moves it back.
  const first = (await json<{ id: number }[]>('triplets', A, '--split', 'test'))[0].id;
  await json('edit', A, String(first), '--swap');
  const swapped = (await json<{ now: Now }[]>('runs', A))[0].now;
  assert.equal(swapped.changed, true);
  assert.ok(Math.abs(Math.abs(swapped.accuracy - runs[0].testAccuracy) - 1 / 600) < 1e-9, `one of 600 flipped: ${swapped.accuracy} vs ${runs[0].testAccuracy}`);
  assert.match((await cli('runs', A)).stdout, /on labels now[\s\S]*\d+\.\d%  ?of 600/);
  await json('undo', A);
  assert.deepEqual((await json<{ now: Now }[]>('runs', A))[0].now, runs[0].now);
  const again = await json<{ added: number; unchanged: number }>('import-images', A, join(flowers, 'images'));
  assert.deepEqual([again.added, again.unchanged], [0, 300]);
  const dup = await json<{ added: number; duplicates: number }>('import-triplets', A, join(flowers, 'test.txt'), '--split', 'test');
  assert.deepEqual([dup.added, dup.duplicates], [0, 600]);
  const out = join(root, 'train-export.txt');
  await json('export-triplets', A, '--split', 'train', out);
  assert.ok(readFileSync(out).equals(readFileSync(join(flowers, 'train.txt'))));
});

test('errors: one clear message with file:line, exit 1, no stack trace; --json prints an error document', { skip }, async () => {
  const bad = join(root, 'bad.txt');
  writeFileSync(bad, '# comment\n14070463051_86ab57ab36.jpg nope.jpg 4258272381_65bd4b8191_m.jpg\nonly two\n');
  const r = await cli('import-triplets', A, bad, '--split', 'train');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: unknown image "nope.jpg"`));
  assert.match(r.stderr, /bad\.txt:3: expected 3 names/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const j = await cli('import-triplets', A, bad, '--split', 'train', '--json');
  assert.equal(j.code, 1);
  assert.equal(JSON.parse(j.stdout).error.code, 'INVALID_FILE');
  const np = await cli('runs', join(root, 'nothing-here'));
  assert.equal(np.code, 1);
  assert.match(np.stderr, /is not a Triplet Studio project/);
  const again = await cli('init', A);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already a Triplet Studio project/);
});
