// The embedding map in the browser: on a fresh project (real engine) the map explains that features
// are missing, computes them on request, and a Shift+drag lasso selects points that "Show in
// Library" then filters the grid to, or "Remove…" takes out of the project (undoably). With
// 100,000 synthetic points (support/fake-service.ts) pan and zoom are measured: the draw time of
// every frame (performance entries 'map:draw') and the interval between animation frames, p50 and
// p95, printed for the report.
import { test as base, expect, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { repoRoot, skipWithoutBackbone } from '../helpers/shared.js';
import { createProject, snap, startStudio, stopStudio, test, typePath } from './fixtures.js';

/** Shift+drag a closed loop around the canvas's left-centre region; returns the selection size. */
async function lasso(page: Page): Promise<number> {
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  const cx = box.x + box.width * 0.35;
  const cy = box.y + box.height * 0.5;
  const r = Math.min(box.width, box.height) * 0.3;
  await page.keyboard.down('Shift');
  await page.mouse.move(cx + r, cy);
  await page.mouse.down();
  for (let k = 1; k <= 24; k++) await page.mouse.move(cx + r * Math.cos((k / 24) * 2 * Math.PI), cy + r * Math.sin((k / 24) * 2 * Math.PI));
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const text = await page.getByTestId('map-selection-count').textContent();
  return Number(/([\d,]+)/.exec(text ?? '')![1].replace(/,/g, ''));
}

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');

test('fresh project: open the map, compute features, lasso a group, show it in the Library', async ({ app: page, projectDir }) => {
  test.skip(!!skip, skip || '');
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-map-'));
  try {
    const subset = makeFlowersSubset(root, { perClass: 6, seed: 1, trainLines: 0, testLines: 0 });
    await createProject(page, projectDir);
    await page.getByTestId('import-images').click();
    await typePath(page, subset.images);
    await expect(page.getByTestId('library-count')).toHaveText('30 images', { timeout: 120_000 });

    await page.getByTestId('nav-map').click();
    await expect(page.getByTestId('map-empty')).toContainText('No features yet');
    await snap(page, '60-map-no-features');
    await page.getByTestId('map-compute').click();
    await expect(page.getByTestId('map-canvas')).toBeVisible({ timeout: 180_000 });
    await expect(page.getByTestId('map-summary')).toContainText('30 images · PCA of raw mobilenet_v1_0.75_224 features');
    await expect(page.getByTestId('map-legend')).toContainText('daisy');

    const n = await lasso(page);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(30);
    await snap(page, '61-map-selection');
    await page.getByTestId('map-show-library').click();
    await expect(page.getByTestId('view-library')).toBeVisible();
    await expect(page.getByTestId('library-count')).toHaveText(`${n} of 30`);
    await expect(page.getByTestId('library-item')).toHaveCount(n);
    await page.getByTestId('map-selection-clear').click();
    await expect(page.getByTestId('library-count')).toHaveText('30 images');

    // Without a mouse: the map takes focus, its keys redraw it, and a legend entry selects its folder.
    await page.getByTestId('nav-map').click();
    await expect(page.getByTestId('map-legend')).toContainText('daisy');
    await page.getByTestId('map-focus').focus();
    const draws = () => page.evaluate(() => performance.getEntriesByName('map:draw').length);
    for (const key of ['+', 'ArrowLeft', '0']) {
      const before = await draws();
      await page.keyboard.press(key);
      await expect.poll(draws, { message: `${key} redraws the map` }).toBeGreaterThan(before);
    }
    const daisy = page.getByTestId('map-legend-entry').filter({ hasText: 'daisy' });
    await expect(daisy).toHaveAccessibleName('Select the 6 images: daisy');
    await daisy.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-selection-count')).toHaveText('6 images selected');
    await page.getByTestId('map-focus').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('library-count')).toHaveText('6 of 30');
    await page.getByTestId('map-selection-clear').click();

    // A lasso selection can leave the project (none is in a triplet here); Ctrl+Z on the map brings it back.
    await page.getByTestId('nav-map').click();
    const r = await lasso(page);
    await page.getByTestId('map-remove').click();
    await expect(page.getByTestId('remove-dialog').getByRole('heading')).toHaveText(`Remove ${r} image${r === 1 ? '' : 's'} from the project?`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('map-summary')).toContainText(`${30 - r} images`);
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('map-summary')).toContainText('30 images · PCA');

    // UMAP runs as a job, then the same lasso works; the selection can seed the triplet maker.
    await page.getByTestId('nav-map').click();
    await page.getByTestId('map-method').selectOption('umap');
    await expect(page.getByTestId('map-summary')).toContainText('UMAP of raw', { timeout: 120_000 });
    const m = await lasso(page);
    expect(m).toBeGreaterThan(0);
    await page.getByTestId('map-make-triplets').click();
    await expect(page.getByTestId('triplet-maker')).toBeVisible();
    await expect(page.getByTestId('maker-item')).toHaveCount(m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const fakeTest = base.extend<object, { fake: { url: string; child: ChildProcess } }>({
  fake: [
    async ({}, use) => {
      const s = await startStudio(['--import', 'tsx', join(repoRoot, 'test', 'e2e', 'support', 'serve-fake.ts')], { FAKE_IMAGES: '100000' });
      await use(s);
      await stopStudio(s.child);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

fakeTest('100,000 points: pan and zoom frame times, hover, lasso and Library filter', async ({ page, fake }) => {
  fakeTest.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(fake.url);
  await page.getByTestId('create-project').click();
  await typePath(page, '/tmp/ts-e2e-fake-map');
  await page.getByTestId('nav-map').click();
  await expect(page.getByTestId('map-summary')).toContainText('100,000 images', { timeout: 60_000 });
  const canvas = page.getByTestId('map-canvas');
  const box = (await canvas.boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];

  // Record animation-frame intervals while panning and zooming.
  await page.evaluate(() => {
    performance.clearMeasures('map:draw');
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let k = 0; k < 60; k++) await page.mouse.move(cx + 200 * Math.sin(k / 10), cy + 120 * Math.cos(k / 10));
  await page.mouse.up();
  for (let k = 0; k < 30; k++) await page.mouse.wheel(0, k < 15 ? -120 : 120);
  await page.waitForTimeout(300);
  const { draws, frames } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    const f = w.__frames;
    return { draws: performance.getEntriesByName('map:draw').map((e) => e.duration), frames: f.slice(1).map((t, i) => t - f[i]) };
  });
  const report = {
    draws: draws.length,
    drawP50: quantile(draws, 0.5),
    drawP95: quantile(draws, 0.95),
    frameP50: quantile(frames, 0.5),
    frameP95: quantile(frames, 0.95),
  };
  console.log(`map 100k: ${JSON.stringify(report, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
  expect(draws.length).toBeGreaterThan(20);
  // The target is 16.7 ms (60 fps); on a loaded 2-core machine headless timing is noisy, so the
  // test fails only far above it and the numbers are reported.
  expect(report.drawP95).toBeLessThan(50);

  // Hover shows the image (the blobs sit on a ring: sweep along its right side until one is under
  // the cursor); the lasso selects and filters the Library to exactly the selection.
  await page.getByTestId('map-fit').click();
  let shown = false;
  for (let k = 0; k < 40 && !shown; k++) {
    await page.mouse.move(cx + box.height * (0.25 + k * 0.005), cy);
    shown = await page.getByTestId('map-tooltip').isVisible();
  }
  expect(shown, 'a tooltip appears over a point').toBe(true);
  await snap(page, '62-map-100k-hover');
  await expect(page.getByTestId('map-tooltip')).toContainText(/batch-\d\d\/img_\d{6}\.jpg/);
  const n = await lasso(page);
  expect(n).toBeGreaterThan(100);
  // Escape that closes a dialog closes only the dialog (it also cleared the selection); Enter on a
  // focused button presses that button (it went to the Library instead).
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toBeHidden();
  await expect(page.getByTestId('map-selection-count')).toContainText(`${n.toLocaleString('en-US')} image`);
  await page.getByTestId('map-remove').click();
  await expect(page.getByTestId('remove-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('remove-dialog')).toBeHidden();
  await expect(page.getByTestId('map-selection-count')).toContainText(`${n.toLocaleString('en-US')} image`);
  await page.getByTestId('map-clear-selection').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('map-selection-count')).toHaveCount(0);
  await expect(page.getByTestId('view-map')).toBeVisible();
  expect(await lasso(page)).toBe(n);
  await page.getByTestId('map-show-library').click();
  await expect(page.getByTestId('library-count')).toHaveText(`${n.toLocaleString('en-US')} of 100,000`);
});
