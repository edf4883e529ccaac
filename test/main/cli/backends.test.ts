// `backends` tells how to add what is missing: every package reported "not installed" comes with the
// command that adds it, in the text output and in --json.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FeatureEngineChoice } from '../../../src/shared/types.js';
import { cliRunner } from '../../helpers/cli.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-backends-'));
after(() => rmSync(root, { recursive: true, force: true }));
// Each measures for itself: not the choice the test run shares (scripts/run-tests.mjs).
const cli = cliRunner(join(root, 'data'), { TRIPLET_STUDIO_COMPUTE_CHOICE: '' });

interface Status {
  name: string;
  pkg?: string;
  available: boolean;
  reason?: string;
  hint?: string;
}

test('every backend or engine that is not installed says how to add it', async () => {
  const json = await cli('backends', '--json');
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { statuses: Status[]; engines: Status[] };
  const missing = [...report.statuses, ...report.engines].filter((s) => s.reason === 'not installed');
  for (const s of missing) assert.match(s.hint ?? '', /^npm (install|ci)\b/, `${s.name} has no hint`);
  for (const s of [...report.statuses, ...report.engines].filter((x) => x.available)) assert.equal(s.hint, undefined, `${s.name} is available`);
  const text = await cli('backends');
  assert.equal(text.code, 0, text.stderr);
  for (const s of missing) assert.ok(text.stdout.includes(`${s.name}: ${s.hint}`), `text output lists the hint for ${s.name}`);
  if (missing.length) assert.match(text.stdout, /To add what is missing:/);
});

test('the feature engine of each installed backbone is measured, shown with why, and remembered', { skip: skipWithoutBackbone('mobilenet_v1_0.75_224'), timeout: 120_000 }, async () => {
  const withModels = cliRunner(join(root, 'data-models'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir(), TRIPLET_STUDIO_COMPUTE_CHOICE: '' });
  const json = await withModels('backends', '--json');
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { featureChoices: FeatureEngineChoice[] };
  const f = report.featureChoices.find((x) => x.backbone === 'mobilenet_v1_0.75_224')!;
  assert.ok(f.choice, 'a choice was made');
  assert.ok(f.candidates.some((c) => c.name === 'onnxruntime-cuda' && c.unavailable), 'the CUDA candidate says why it cannot run (no CUDA machine here)');
  const runnable = f.candidates.filter((c) => !c.unavailable).length;
  if (runnable > 1) assert.equal(f.choice.measured.filter((m) => m.ms !== undefined).length, runnable, 'every runnable candidate was timed');
  const text = await withModels('backends');
  assert.equal(text.code, 0, text.stderr);
  // The second call reads the remembered choice and says when it was measured.
  const remembered = runnable > 1 ? ` \\(measured ${f.choice.at}; backends --measure times again\\)` : '';
  assert.match(text.stdout, new RegExp(`Features of mobilenet_v1_0\\.75_224 on ${f.choice.chosen}: .*${remembered}`));
  assert.match(text.stdout, /feature engine \(mobilenet_v1_0\.75_224\)\s+status/);
});
