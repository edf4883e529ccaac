// A user without backbone weights gets them with one click and a progress bar: the Train view's
// "Get the weights" downloads MobileNet (here from a loopback mirror serving ../shared/models, the
// machine has no internet), installs it, and the missing-weights notice goes away.
import { test as base, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { repoRoot, sharedModelsDir } from '../helpers/shared.js';
import { createProject, snap, startStudio, stopStudio, typePath } from './fixtures.js';

const MODEL = 'mobilenet_v1_0.75_224';

/** Static files from ../shared/models, slowed a little so the progress bar is on screen. */
function mirror(): Promise<{ server: Server; url: string }> {
  const root = sharedModelsDir();
  const server = createServer((req, res) => {
    const file = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': statSync(file).size });
    setTimeout(() => createReadStream(file).pipe(res), 150);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const test = base.extend<{ studio: { url: string; child: ChildProcess; projectDir: string } }>({
  studio: async ({}, use) => {
    const tmp = mkdtempSync(join(tmpdir(), 'ts-e2e-backbone-'));
    const { server, url: mirrorUrl } = await mirror();
    mkdirSync(join(tmp, 'backbones'));
    mkdirSync(join(tmp, 'flowers-project'));
    const s = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', join(tmp, 'data')], {
      TRIPLET_STUDIO_BACKBONES: join(tmp, 'backbones'),
      TRIPLET_STUDIO_BACKBONE_MIRROR: mirrorUrl,
    });
    try {
      await use({ ...s, projectDir: join(tmp, 'flowers-project') });
    } finally {
      await stopStudio(s.child);
      server.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  },
});

test.skip(!existsSync(join(sharedModelsDir(), MODEL, 'model.json')), `backbone ${MODEL} not found under ${sharedModelsDir()}`);

test('a missing backbone is installed with one click, with progress', async ({ page, studio }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(studio.url);
  await createProject(page, studio.projectDir);
  // Suggest without weights says why on the page and leads to Train (it said "no suggestions:
  // only 0 images" once the error toast had gone).
  const subset = makeFlowersSubset(join(studio.projectDir, '..'), { perClass: 2, seed: 1, trainLines: 0, testLines: 0 });
  await page.getByTestId('import-images').click();
  await typePath(page, subset.images);
  await expect(page.getByTestId('library-count')).toHaveText('10 images', { timeout: 60_000 });
  await page.keyboard.press('7');
  await expect(page.getByTestId('suggest-error')).toContainText('Suggestions could not be made');
  await expect(page.getByTestId('suggest-none')).toHaveCount(0);
  await page.getByTestId('suggest-error').getByRole('button', { name: 'Go to Train to get the weights' }).click();
  const missing = page.getByTestId('backbone-missing');
  await expect(missing).toBeVisible();
  await expect(page.getByTestId('opt-backbone')).toHaveValue(MODEL);
  await snap(page, '33-train-backbone-missing');

  await page.getByTestId('backbone-fetch').click();
  await expect(page.getByTestId('backbone-job-progress')).toBeVisible();
  await expect(page.getByTestId('backbone-job-counts')).toContainText('/');
  await snap(page, '34-train-backbone-installing');
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Backbone installed' })).toBeVisible({ timeout: 90_000 });
  await expect(missing).toBeHidden();
  expect(existsSync(join(studio.projectDir, '..', 'backbones', MODEL, 'model.json'))).toBe(true);
  // Back in Suggest, Try again finds a batch with the weights now there.
  await page.keyboard.press('7');
  await page.getByTestId('suggest-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('suggest-card')).toBeVisible({ timeout: 60_000 });
  expect(problems).toEqual([]);
});
