// The real audit through the CLI on a shared noisy train file: train_noisy.txt of the trash set (10%
// of its lines with positive and negative swapped) imported as train, test.txt as test. The flipped
// lines (train_noisy.flipped, used only to score) must lead the ranking: precision among the first 60
// suspects ≥ 0.8, and the first 150 hold ≥ 85% of the flipped lines. Trash is the harder set (its
// classes are closer in feature space); bench/audit.ts measures both over seeds.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AuditReport } from '../../../src/shared/types.js';
import { cliRunner } from '../../helpers/cli.js';
import { sharedDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-audit-cli-'));
const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
after(() => rmSync(root, { recursive: true, force: true }));

test('audit --json ranks the flipped lines of trash/train_noisy.txt first', { skip, timeout: 600_000 }, async () => {
  const set = join(sharedDir(), 'datasets', 'trash');
  const dir = join(root, 'trash');
  for (const args of [
    ['init', dir],
    ['import-images', dir, join(set, 'images')],
    ['import-triplets', dir, join(set, 'train_noisy.txt'), '--split', 'train'],
    ['import-triplets', dir, join(set, 'test.txt'), '--split', 'test'],
  ]) {
    const r = await cli(...args);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  }
  const r = await cli('audit', dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as AuditReport;
  const flipped = new Set(readFileSync(join(set, 'train_noisy.flipped'), 'utf8').split(/\s+/).filter(Boolean).map(Number));
  assert.equal(report.suspects.length, 1200);
  for (const s of report.suspects) assert.match(s.file ?? '', /train_noisy\.txt$/);
  assert.deepEqual(Object.keys(report.suspects[0]).slice(0, 4), ['id', 'line', 'file', 'score']);
  const scores = report.suspects.map((s) => s.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'worst first');
  const hits = (k: number) => report.suspects.slice(0, k).filter((s) => flipped.has(s.line!)).length;
  const p60 = hits(60) / 60;
  const r150 = hits(150) / flipped.size;
  console.log(`trash: precision@60 ${p60.toFixed(3)}, recall@150 ${r150.toFixed(3)} (${report.seconds.toFixed(0)} s)`);
  assert.ok(p60 >= 0.8, `precision among the first 60: ${p60}`);
  assert.ok(r150 >= 0.85, `flipped lines within the first 150: ${r150}`);
  // The shared files are clean otherwise: no contradictions, no leakage; duplicates only the one
  // near-identical pair of photos the set has (metal57/metal122, see project/audit-checks.ts).
  assert.deepEqual([report.contradictions.length, report.leakage.length], [0, 0]);
  assert.deepEqual(report.duplicates.map((d) => [d.kind, d.images.map((i) => i.name.split('/').pop()).sort()]), [['near', ['metal122.jpg', 'metal57.jpg']]]);
});
