// The Train view after a reload and at the end of a run: a reload during training comes back to the
// Train view with the chart (epochs so far), the progress bar, the run's own options and, at the
// end, its finish message; a cancelled run keeps its finished epochs in the chart and the table and
// says what happened; an invalid option gets a plain-words message under its field and Train waits.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { repoRoot, sharedModelsDir, skipWithoutBackbone } from '../helpers/shared.js';
import { collectProblems, loggedErrors, expect, startStudio, stopStudio, test, VIEWPORTS } from './fixtures.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');
test.setTimeout(420_000);

/** A small flowers project made with the CLI, listed as the data folder's last project (so the server reopens it). */
async function prepare(root: string): Promise<{ dataDir: string; projectDir: string }> {
  const dataDir = join(root, 'data');
  const projectDir = join(root, 'flowers-project');
  mkdirSync(dataDir);
  const data = makeFlowersSubset(join(root, 'subset'), { perClass: 6, seed: 3, trainLines: 120, testLines: 40 });
  const cli = cliRunner(dataDir, { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  for (const args of [
    ['init', projectDir],
    ['import-images', projectDir, data.images],
    ['import-triplets', projectDir, data.train, '--split', 'train'],
    ['import-triplets', projectDir, data.test, '--split', 'test', '--allow-leakage'],
  ]) {
    const r = await cli(...args);
    if (r.code !== 0) throw new Error(`triplet-studio ${args[0]} failed: ${r.stderr}`);
  }
  writeFileSync(join(dataDir, 'recent.json'), JSON.stringify([projectDir]));
  return { dataDir, projectDir };
}

async function setEpochs(page: Page, n: string): Promise<void> {
  await page.getByTestId('opt-epochs').fill(n);
  await page.getByTestId('opt-epochs').blur();
}

const lossPoints = (page: Page) => page.getByTestId('train-chart').locator('circle.loss');

test.describe('1440px', () => {
  test.use({ viewport: VIEWPORTS[1] });

  test('reload during training restores chart, progress, options and the finish message; a cancelled run keeps its epochs', async ({ page }) => {
    const root = mkdtempSync(join(tmpdir(), 'ts-e2e-train-'));
    let child = null;
    try {
      const { dataDir } = await prepare(root);
      const studio = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', dataDir]);
      child = studio.child;
      const problems = collectProblems(page);
      await page.goto(studio.url);
      await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project'); // reopened at start
      await page.getByTestId('nav-train').click();
      await expect(page.getByTestId('backend-name')).not.toHaveText(/^wasm$/);

      // A long run; reload once it has finished a few epochs.
      await setEpochs(page, '5000');
      await page.getByTestId('train-start').click();
      await expect(page.getByTestId('train-progress')).toBeVisible();
      await expect(lossPoints(page).first()).toBeAttached({ timeout: 180_000 });
      const firstEpochAt = Date.now();
      // The run this tab started has its row, running, from its first epoch (not only once it ends).
      await expect(page.locator('[data-testid="run-row"]').first()).toContainText('running');
      await expect(lossPoints(page).nth(2)).toBeAttached({ timeout: 180_000 });
      await page.reload();
      await expect(page.getByTestId('view-train')).toBeVisible();
      await expect(page.getByTestId('train-progress')).toBeVisible();
      await expect(page.getByTestId('opt-epochs')).toHaveValue('5000'); // the run's options, not the defaults
      await expect(lossPoints(page).nth(2)).toBeAttached(); // the epochs so far, at once
      const running = page.locator('[data-testid="run-row"]').first();
      await expect(running).toContainText('running');
      await expect(running.getByTestId('run-epochs')).toHaveText(/^[1-9]\d*\/5000$/);

      // Cancel: the run keeps the epochs it finished, in the chart and the table, and says so.
      await page.getByTestId('train-cancel').click();
      const epochsPerSecond = (await lossPoints(page).count()) / ((Date.now() - firstEpochAt) / 1000);
      await expect(page.getByTestId('toast-info').filter({ hasText: 'Training cancelled' })).toContainText(/kept \d+ finished epochs/, { timeout: 60_000 });
      await expect(page.getByTestId('train-progress')).toBeHidden();
      const cancelled = page.locator('[data-testid="run-row"]').first();
      await expect(cancelled).toContainText('cancelled');
      const kept = Number((await cancelled.getByTestId('run-epochs').textContent())!.split('/')[0]);
      expect(kept).toBeGreaterThanOrEqual(3);
      await expect(page.getByTestId('run-state')).toContainText(`Cancelled after ${kept} of 5000 epochs`);
      await expect(lossPoints(page)).toHaveCount(kept);
      await expect(page.getByTestId('train-chart')).not.toContainText('No runs yet');

      // A short run (about 20 s at the speed just measured), reloaded while it runs: the reloaded tab shows its finish message.
      await setEpochs(page, String(Math.min(5000, Math.max(40, Math.ceil(epochsPerSecond * 20)))));
      await page.getByTestId('train-start').click();
      await expect(page.getByTestId('train-progress')).toBeVisible();
      await page.reload();
      await expect(page.getByTestId('view-train')).toBeVisible();
      await expect(page.getByTestId('train-progress')).toBeVisible(); // reattached while it still runs
      await expect(page.getByTestId('toast-success').filter({ hasText: 'Training finished' })).toContainText(/Run #2: test accuracy \d+\.\d%/, { timeout: 240_000 });
      await expect(page.locator('[data-testid="run-row"]').first()).toContainText('finished');
      await expect(page.getByTestId('run-state')).toHaveCount(0);
      expect(problems).toEqual([]);
      expect(loggedErrors(dataDir), 'no unexpected error in the diagnostics log').toEqual([]);
    } finally {
      if (child) await stopStudio(child);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test.describe('1024px', () => {
  test.use({ viewport: VIEWPORTS[0] });

  test('an invalid option gets a plain-words message under its field; Train waits; advanced options folded', async ({ page }) => {
    const root = mkdtempSync(join(tmpdir(), 'ts-e2e-train-'));
    let child = null;
    try {
      const { dataDir } = await prepare(root);
      const studio = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', dataDir]);
      child = studio.child;
      const problems = collectProblems(page);
      await page.goto(studio.url);
      await page.getByTestId('nav-train').click();
      await expect(page.getByTestId('train-start')).toBeEnabled();
      await expect(page.getByTestId('opt-advanced')).not.toHaveAttribute('open');
      await setEpochs(page, '0');
      await expect(page.getByTestId('opt-epochs-problem')).toHaveText('Epochs must be between 1 and 10000.');
      await expect(page.getByTestId('train-start')).toBeDisabled();
      await expect(page.getByTestId('train-blocked')).toHaveText('Fix the highlighted option to train.');
      await setEpochs(page, '2.5');
      await expect(page.getByTestId('opt-epochs-problem')).toHaveText('Epochs must be a whole number.');
      await setEpochs(page, '3');
      await expect(page.getByTestId('opt-epochs-problem')).toHaveCount(0);
      await expect(page.getByTestId('train-start')).toBeEnabled();
      expect(problems).toEqual([]);
      expect(loggedErrors(dataDir), 'no unexpected error in the diagnostics log').toEqual([]);
    } finally {
      if (child) await stopStudio(child);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
