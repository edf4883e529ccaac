// The library grid must stay windowed: with 100,000 images only the rows in view exist in the
// DOM, and images are fetched page by page as rows scroll in. The server here is the real
// browser-mode server around a synthetic service (support/fake-service.ts), since importing
// 100,000 real images would take far longer than this suite may.
import { test as base, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/shared.js';
import { snap, startStudio, stopStudio, typePath } from './fixtures.js';

const IMAGES = 100_000;

const test = base.extend<object, { fake: { url: string; child: ChildProcess } }>({
  fake: [
    async ({}, use) => {
      const s = await startStudio(['--import', 'tsx', join(repoRoot, 'test', 'e2e', 'support', 'serve-fake.ts')], { FAKE_IMAGES: String(IMAGES) });
      await use(s);
      await stopStudio(s.child);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test('library grid with 100,000 images keeps few DOM items and pages requests', async ({ page, fake }) => {
  const requests: { offset: number; limit: number }[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const msg = JSON.parse(String(f.payload));
      if (msg.name === 'listImages') requests.push({ offset: msg.args.offset ?? 0, limit: msg.args.limit ?? 0 });
    }),
  );
  await page.goto(fake.url);
  await page.getByTestId('create-project').click();
  await typePath(page, '/tmp/ts-e2e-fake-project');
  await expect(page.getByTestId('library-count')).toHaveText('100,000 images');

  const items = page.getByTestId('library-item');
  await expect(items.first()).toBeVisible();
  const initial = await items.count();
  expect(initial).toBeGreaterThan(10);
  expect(initial).toBeLessThan(200);

  // Jump to the middle: the items there appear, the DOM stays small, only nearby pages are fetched.
  const grid = page.getByTestId('library-grid');
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(items.first()).toHaveAttribute('data-name', /img_0(49|50)\d{3}\.jpg$/);
  const middle = await items.count();
  expect(middle).toBeLessThan(200);
  expect(await page.locator('[data-testid="library-grid"] img').count()).toBeLessThan(200);

  // Smooth scrolling through a stretch keeps the same bounds.
  for (let i = 0; i < 20; i++) await grid.evaluate((el) => (el.scrollTop += 400));
  await expect(items.first()).toBeVisible();
  expect(await items.count()).toBeLessThan(200);
  const fetched = requests.reduce((n, r) => n + r.limit, 0);
  expect(requests.length).toBeLessThan(20);
  expect(fetched).toBeLessThan(IMAGES / 20);
  await snap(page, '11-library-100k');

  // Filtering by folder pages the filtered set.
  await page.getByTestId('library-folder').selectOption('batch-03');
  await expect(page.getByTestId('library-count')).toHaveText('10,000 of 100,000');
  await expect(items.first()).toHaveAttribute('data-name', /^batch-03\//);
});
