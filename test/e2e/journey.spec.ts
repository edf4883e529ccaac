// The whole workflow on the shared flowers set, through the UI only: project → images →
// triplet files (with a broken one first) → a hand-made triplet → training → review (swap, undo)
// → export, and the exported test file must equal the original byte for byte.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowersDir, skipWithoutShared } from '../helpers/shared.js';
import { createProject, expect, snap, test, typePath } from './fixtures.js';
import type { Page } from '@playwright/test';

const skip = skipWithoutShared();
test.skip(!!skip, skip || '');
test.setTimeout(420_000);

async function importTripletFile(page: Page, file: string, split: 'train' | 'test') {
  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(file);
  await page.getByTestId('fileop-split').selectOption(split);
  await page.getByTestId('fileop-submit').click();
}

test('journey: import, make a triplet, train, review with undo, export', async ({ app: page, projectDir }) => {
  const flowers = flowersDir();
  await createProject(page, projectDir);

  // Library: import the folder, watch the job, see the grid.
  await page.getByTestId('import-images').click();
  await typePath(page, join(flowers, 'images'));
  // The job bar (progress, ETA, Cancel) shows while the import runs, if it lasts long enough to see.
  if (await page.getByTestId('import-progress').isVisible()) await snap(page, '12-library-importing');
  await expect(page.getByTestId('library-count')).toHaveText('300 images', { timeout: 120_000 });
  await expect(page.getByTestId('library-item').first()).toBeVisible();
  await page.getByTestId('library-item').first().click();
  await expect(page.getByTestId('image-detail')).toBeVisible();
  await snap(page, '10-library');
  await page.getByTestId('detail-close').click();

  // Triplets: a file with problems is refused and reported line by line; then good lines only.
  await page.getByTestId('nav-triplets').click();
  await expect(page.getByTestId('triplets-empty')).toBeVisible();
  await snap(page, '20-triplets-empty');
  const firstTrain = readFileSync(join(flowers, 'train.txt'), 'utf8').split('\n')[0];
  const bad = join(projectDir, '..', 'bad.txt');
  writeFileSync(bad, `${firstTrain}\nno_such_image.jpg ${firstTrain.split(/\s+/).slice(1).join(' ')}\nonly two\n`);
  await importTripletFile(page, bad, 'train');
  const issues = page.getByTestId('triplet-import-issues').locator('li');
  await expect(issues).toHaveCount(2);
  await expect(issues.nth(0)).toContainText(`${bad}:2:`);
  await expect(issues.nth(1)).toContainText(`${bad}:3:`);
  await snap(page, '21-triplets-import-report');
  await page.getByTestId('fileop-skip-invalid').click();
  await expect(page.getByTestId('triplet-import-report')).toContainText('1 triplet added');
  await page.getByTestId('fileop-cancel').click();

  await importTripletFile(page, join(flowers, 'train.txt'), 'train');
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();
  await importTripletFile(page, join(flowers, 'test.txt'), 'test');
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();
  await expect(page.getByTestId('triplet-count')).toContainText('1,200 train · 600 test');
  // Keyboard editing in the list: J moves down, S swaps, Ctrl+Z undoes.
  await page.getByTestId('triplet-row').nth(1).click();
  await page.keyboard.press('j');
  const row = page.getByTestId('triplet-row').nth(2);
  await expect(row).toHaveClass(/selected/);
  const [pos, neg] = [await row.locator('.pos').getAttribute('data-name'), await row.locator('.neg').getAttribute('data-name')];
  await page.keyboard.press('s');
  await expect(page.getByTestId('status-line')).toContainText('Swapped positive and negative');
  await expect(row.locator('.pos')).toHaveAttribute('data-name', neg!);
  await expect(row.locator('.neg')).toHaveAttribute('data-name', pos!);
  await snap(page, '22-triplets-list');
  await page.keyboard.press('Control+z');
  await expect(row.locator('.pos')).toHaveAttribute('data-name', pos!);
  await expect(row.locator('.neg')).toHaveAttribute('data-name', neg!);

  // Make one triplet by clicking anchor, positive (same class) and negative (another class).
  await page.getByTestId('new-triplet').click();
  const grid = page.getByTestId('maker-item');
  await page.locator('[data-testid="maker-item"][data-name^="daisy/"]').nth(0).click();
  await page.locator('[data-testid="maker-item"][data-name^="daisy/"]').nth(1).click();
  await page.getByTestId('maker-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator('[data-testid="maker-item"][data-name^="tulips/"]').last().click();
  await expect(grid.first()).toBeVisible();
  await snap(page, '23-triplet-maker');
  await page.getByTestId('maker-save').click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Triplet created' })).toBeVisible();
  await expect(page.getByTestId('triplet-count')).toContainText('1,201 train');

  // Train with a short schedule.
  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('opt-backbone')).toHaveValue('mobilenet_v1_0.75_224');
  await expect(page.getByTestId('backend-kind')).toHaveText(/GPU|CPU|WASM/);
  await page.getByTestId('opt-epochs').fill('6');
  await page.getByTestId('opt-epochs').blur();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toBeVisible();
  await snap(page, '30-train-running');
  await expect(page.getByTestId('latest-accuracy')).toHaveText(/\d+\.\d%/, { timeout: 240_000 });
  const accuracy = parseFloat((await page.getByTestId('latest-accuracy').textContent()) ?? '0');
  expect(accuracy).toBeGreaterThan(70);
  await snap(page, '31-train-done');

  // With a model, the maker suggests the anchor's nearest neighbours.
  await page.getByTestId('nav-triplets').click();
  await page.getByTestId('new-triplet').click();
  await page.getByTestId('maker-item').first().click();
  await expect(page.getByTestId('maker-neighbours').locator('button')).not.toHaveCount(0);
  // Two more picks: the maker says what the run makes of the triplet (as `judge` does).
  await page.getByTestId('maker-neighbours').locator('button').first().click();
  await page.getByTestId('maker-neighbours').locator('button:not([disabled])').last().click();
  await expect(page.getByTestId('maker-judgement')).toContainText(/Run \d+ (has this the wrong way round|gets this right|already gets this right)/);
  expect(['wrong', 'inside-margin', 'learned']).toContain(await page.getByTestId('maker-judgement').getAttribute('data-verdict'));
  await snap(page, '24-triplet-maker-neighbours');
  await page.getByTestId('back-to-list').click();

  // Review: swap the worst mistake, then undo it.
  await page.getByTestId('nav-review').click();
  await expect(page.getByTestId('mistake-item').first()).toBeVisible();
  const dAP = parseFloat((await page.getByTestId('review-frame-d-positive').textContent())!.split('=')[1]);
  const dAN = parseFloat((await page.getByTestId('review-frame-d-negative').textContent())!.split('=')[1]);
  expect(dAP).toBeGreaterThanOrEqual(dAN); // a mistake: the negative is at least as close as the positive
  await snap(page, '40-review');
  const worst = (await page.getByTestId('mistake-item').first().textContent())!.match(/#(\d+)/)![1];
  if ((await page.getByTestId('history-panel').count()) === 0) await page.getByTestId('toggle-history').click();
  const before = await page.getByTestId('history-entry').count(); // the hand-made triplet's "create" is there
  await page.keyboard.press('s');
  await expect(page.getByTestId('history-entry')).toHaveCount(before + 1);
  await expect(page.getByTestId('history-entry').first()).toContainText(`#${worst}`);
  await expect(page.getByTestId('mistake-item').first()).toContainText('swap');
  await snap(page, '41-review-after-swap');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Undone' })).toBeVisible();
  await expect(page.getByTestId('mistake-item').first()).not.toContainText('swap');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Redone' })).toBeVisible();
  await expect(page.getByTestId('review-count')).toContainText('1 reviewed');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('review-count')).not.toContainText('reviewed');
  await page.getByTestId('reevaluate').click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Re-evaluated' })).toBeVisible({ timeout: 60_000 });
  // After a review both accuracies are shown, labelled.
  await expect(page.getByTestId('review-accuracies')).toContainText(/On your labels now\s*\d+\.\d%\s*On labels as imported\s*\d+\.\d%/);

  // A second run with other options, compared side by side; then a cancelled one.
  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('train-accuracy-as-imported')).toBeVisible();
  await page.getByTestId('opt-distance').selectOption('cosine');
  await page.getByTestId('opt-epochs').fill('3');
  await page.getByTestId('opt-epochs').blur();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2, { timeout: 180_000 });
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 180_000 });
  await page.getByTestId('run-compare').nth(0).check();
  await page.getByTestId('run-compare').nth(1).check();
  const panel = page.getByTestId('run-compare-panel');
  await expect(panel).toContainText('cosine');
  await expect(panel).toContainText('l2');
  await panel.scrollIntoViewIfNeeded();
  await snap(page, '32-train-compare');
  await page.getByTestId('opt-epochs').fill('500');
  await page.getByTestId('opt-epochs').blur();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toBeVisible();
  await page.getByTestId('train-cancel').click();
  await expect(page.getByTestId('train-progress')).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('run-row').first()).toContainText('cancelled');

  // Export the test split and compare with the original file.
  await page.getByTestId('nav-triplets').click();
  const out = join(projectDir, '..', 'test-export.txt');
  await page.getByTestId('export-triplets').click();
  await page.getByTestId('fileop-path').fill(out);
  await page.getByTestId('fileop-split').selectOption('test');
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Triplets exported' })).toBeVisible();
  expect(readFileSync(out).equals(readFileSync(join(flowers, 'test.txt'))), 'exported test.txt equals the original').toBe(true);

  await page.getByTestId('nav-projects').click();
  await expect(page.getByTestId('current-project')).toBeVisible();
  await snap(page, '50-projects-open');
});
