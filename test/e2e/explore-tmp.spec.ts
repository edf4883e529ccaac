import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { createProject, expect, test, typePath } from './fixtures.js';

const VIEWS = ['library', 'triplets', 'train', 'review', 'map', 'suggest', 'audit'] as const;

test('explore trained states', async ({ app: page, projectDir, studio }) => {
  test.setTimeout(300_000);
  const toasts: string[] = [];
  const tour = async (stage: string) => {
    for (const v of VIEWS) {
      await page.getByTestId(`nav-${v}`).click();
      await page.waitForTimeout(1500);
      const t = await page.locator('[data-testid^="toast-"]').allTextContents();
      toasts.push(`${stage}/${v}: ${t.join(' | ')}`);
      await page.screenshot({ path: `/tmp/explore/${stage}-${v}.png` });
    }
  };
  await createProject(page, projectDir);
  const root = mkdtempSync(join(tmpdir(), 'ts-explore-'));
  const subset = makeFlowersSubset(root, { perClass: 6, seed: 5, trainLines: 40, testLines: 0 });
  await page.getByTestId('import-images').click();
  await typePath(page, subset.images);
  await expect(page.getByTestId('library-count')).toHaveText('30 images', { timeout: 60_000 });
  const cli = cliRunner(studio.dataDir);
  await cli('import-triplets', projectDir, subset.train, '--split', 'train');
  await page.getByTestId('nav-train').click();
  await page.getByTestId('opt-epochs').fill('3');
  await page.getByTestId('opt-epochs').blur();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 180_000 });
  await page.waitForTimeout(2000);
  await tour('3-run-no-test');
  console.log(toasts.join('\n'));
});
