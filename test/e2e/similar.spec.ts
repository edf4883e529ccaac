// Similarity search in the app: the Library's detail panel lists the selected image's nearest images,
// and the Train view's "Try an image" finds the nearest images of a file from outside the project,
// chosen by path (typed in browser mode) or dropped as bytes; the file is not added.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutBackbone } from '../helpers/shared.js';
import type { Page } from '@playwright/test';
import { expect, snap, test, typePath } from './fixtures.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');

test('library detail and "Try an image" list the nearest images', async ({ app: page, projectDir }) => {
  test.skip(!!skip, String(skip));
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-similar-'));
  try {
    const data = makeFlowersSubset(root, { perClass: 3, seed: 9, trainLines: 30, testLines: 5 });
    const cli = cliRunner(join(root, 'cli-data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
    for (const args of [
      ['init', projectDir],
      ['import-images', projectDir, data.images],
      ['import-triplets', projectDir, data.train, '--split', 'train'],
      ['import-triplets', projectDir, data.test, '--split', 'test', '--allow-leakage'],
      ['train', projectDir, '--epochs', '2', '--ensemble', '1'],
    ]) {
      const r = await cli(...args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
    }
    await page.getByTestId('open-project').click();
    await typePath(page, projectDir);
    await expect(page.getByTestId('view-library')).toBeVisible();

    // Library: the selected image's nearest images, never itself.
    const first = page.getByTestId('library-item').first();
    await first.click();
    const items = page.getByTestId('detail-similar-items').locator('[data-name]');
    await expect(items).toHaveCount(12);
    await expect(page.getByTestId('detail-similar-space')).toContainText('run 1');
    const name = await page.getByTestId('image-detail').locator('h3').getAttribute('title');
    await expect(page.getByTestId('detail-similar-items').locator(`[data-name="${name}"]`)).toHaveCount(0);
    await snap(page, '15-library-similar');
    await page.getByTestId('detail-similar-raw').check();
    await expect(page.getByTestId('detail-similar-space')).toContainText('raw mobilenet_v1_0.75_224 features');

    // Train: "Try an image" with a copy of a project photo, by typed path: that photo comes first.
    const photo = join(data.images, 'roses', readdirFirst(join(data.images, 'roses')));
    const outside = join(root, 'outside.jpg');
    copyFileSync(photo, outside);
    await page.getByTestId('nav-train').click();
    await page.getByTestId('try-image-panel-choose').click();
    await typePath(page, outside);
    const tried = page.getByTestId('try-image-panel-items').locator('[data-name]');
    await expect(tried).toHaveCount(15);
    await expect(tried.first()).toHaveAttribute('data-name', /roses\//);
    await expect(tried.first()).toHaveAttribute('title', /d = 0\.0000/);
    await snap(page, '35-train-try-image');

    // Dropped bytes: the same answer.
    await dropFile(page, 'try-image-panel', 'dropped.jpg', 'image/jpeg', readFileSync(outside));
    await expect(page.getByTestId('try-image-panel-query')).toContainText('dropped.jpg');
    await expect(tried.first()).toHaveAttribute('title', /d = 0\.0000/);
    // A photo over the 700 KB a dropped file may carry is re-encoded smaller in the page first, and said so.
    const large = await sharp({ create: { width: 1400, height: 1400, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
    expect(large.length).toBeGreaterThan(700 * 1024);
    await dropFile(page, 'try-image-panel', 'noise.png', 'image/png', large);
    await expect(page.getByTestId('try-image-panel')).toContainText('Resized to 1024 × 1024 before sending');
    await expect(page.getByTestId('try-image-panel-query')).toContainText('noise.png');
    await expect(tried).toHaveCount(15);
    // Nothing was added to the project.
    await page.getByTestId('nav-library').click();
    await expect(page.getByTestId('library-count')).toHaveText('15 images');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** Drops a file with these bytes on the element `testid`, as the browser does from a file manager (sent as base64: a JS array of millions of numbers took ~25 s). */
async function dropFile(page: Page, testid: string, name: string, type: string, bytes: Buffer): Promise<void> {
  const drop = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { b64: bytes.toString('base64'), name, type },
  );
  await page.getByTestId(testid).dispatchEvent('drop', { dataTransfer: drop });
}

function readdirFirst(dir: string): string {
  return readdirSync(dir).sort()[0];
}
