// The Train view's compute details show the feature engine chosen by measurement (issue 12.2): the
// choice `triplet-studio backends` measured and remembered for this machine, why, and every
// candidate with its time or why it cannot run here (the CUDA provider, on a machine without one).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from '../helpers/cli.js';
import { repoRoot, sharedModelsDir, skipWithoutBackbone } from '../helpers/shared.js';
import { createProject, expect, startStudio, stopStudio, test } from './fixtures.js';
import type { BackendReport, FeatureEngineChoice } from '../../src/shared/types.js';

const MODEL = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(MODEL);
test.skip(!!skip, skip || '');
test.setTimeout(180_000);

test('the Train view names the measured feature engine, why, and each candidate', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-compute-'));
  const data = join(root, 'data');
  mkdirSync(data);
  // Its own measurement, in its data folder (not the choice the test run shares: scripts/run-tests.mjs).
  const env = { TRIPLET_STUDIO_BACKBONES: sharedModelsDir(), TRIPLET_STUDIO_DATA: data, TRIPLET_STUDIO_COMPUTE_CHOICE: '' };
  const measured = await cliRunner(data, env)('backends', '--json');
  expect(measured.code, measured.stderr).toBe(0);
  const report = JSON.parse(measured.stdout) as BackendReport & { featureChoices: FeatureEngineChoice[] };
  const f = report.featureChoices.find((x) => x.backbone === MODEL)!;
  const trains = report.choice?.chosen ?? report.used;
  const studio = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', data], env);
  try {
    await page.goto(studio.url);
    await createProject(page, join(root, 'flowers-project'));
    await page.getByTestId('nav-train').click();
    await page.getByTestId('compute-details').locator('summary').click();
    await expect(page.getByTestId('compute-details').locator('summary')).toContainText(`Compute: training on ${trains}, features on ${f.choice!.chosen}`);
    // The tfjs backend in use trains, or scores and encodes while onnxruntime trains: as the header's engine says.
    const tfjsRow = page.getByTestId('compute-details').locator('li').filter({ hasText: report.statuses.find((x) => x.name === report.used)!.pkg });
    await expect(tfjsRow).toContainText(trains === report.used ? 'used for training' : `used for scoring and encoding (training on ${trains})`);
    await expect(page.getByTestId('feature-choice')).toContainText(`Features of ${MODEL} on ${f.choice!.chosen}: ${f.choice!.why}`);
    for (const c of f.candidates) {
      const row = page.getByTestId('compute-details').locator('li').filter({ has: page.locator('span.mono', { hasText: new RegExp(`^${c.name}$`) }) });
      await expect(row).toContainText(c.name === f.choice!.chosen ? 'used for features' : c.unavailable ? c.unavailable.slice(0, 30) : 'measured');
    }
  } finally {
    await stopStudio(studio.child);
    rmSync(root, { recursive: true, force: true });
  }
});
