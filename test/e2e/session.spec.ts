// Sessions that survive a server restart: the printed address is the same after a restart on the
// same data folder (token and port kept), opens the app again and again, also in a fresh browser
// profile, with no page errors; the app reopens the last project; an open tab says the server
// stopped, reconnects by itself when it is back, and says its address is out of date after
// --new-token (and a reload shows a readable page, not a bare 401).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { repoRoot, sharedModelsDir, skipWithoutBackbone } from '../helpers/shared.js';
import { collectProblems, loggedErrors, createProject, expect, startStudio, stopStudio, test, typePath, VIEWPORTS } from './fixtures.js';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';

test.setTimeout(180_000);

/** While the server is down, the old tab's reconnect attempts fail: those console lines are expected. */
const DOWNTIME = [/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/ws' failed/, /ERR_CONNECTION_REFUSED/];

const serve = (dataDir: string, ...args: string[]) => startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', dataDir, ...args]);

interface OwnServers {
  root: string;
  dataDir: string;
  context: BrowserContext;
  page: Page;
  /** Starts a server on the test's data folder (`args`: e.g. --new-token) and returns its address. */
  start(...args: string[]): Promise<string>;
  /** Stops the running server and waits until the tab says so. */
  stop(): Promise<void>;
}

/**
 * A test that runs its own servers: a folder holding its data folder, one tab. At the end the tab met
 * no problem (but `allow`) and the log no unexpected error; the server still running stops and the
 * folder goes, whatever happened.
 */
async function withOwnServers(browser: Browser, viewport: { width: number; height: number }, allow: RegExp[], body: (s: OwnServers) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-session-'));
  const dataDir = join(root, 'data');
  const context = await browser.newContext({ viewport });
  let child: ChildProcess | null = null;
  try {
    const page = await context.newPage();
    const problems = collectProblems(page, allow);
    await body({
      root,
      dataDir,
      context,
      page,
      start: async (...args) => {
        const started = await serve(dataDir, ...args);
        child = started.child;
        return started.url;
      },
      stop: async () => {
        if (child) await stopStudio(child);
        child = null;
        await expect(page.getByTestId('connection')).not.toHaveText('Connected', { timeout: 20_000 });
      },
    });
    expect(problems).toEqual([]);
    expect(loggedErrors(dataDir), 'no unexpected error in the diagnostics log').toEqual([]);
  } finally {
    await context.close();
    if (child) await stopStudio(child);
    rmSync(root, { recursive: true, force: true });
  }
}

async function freshProfileOpens(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<void> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(url);
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project'); // reopened by the server
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}

for (const viewport of VIEWPORTS) {
  test(`a restart keeps the address; the old tab reconnects; the last project reopens (${viewport.width}px)`, async ({ browser }) => {
    await withOwnServers(browser, viewport, DOWNTIME, async ({ root, context, page, start, stop }) => {
      const projectDir = join(root, 'flowers-project');
      mkdirSync(projectDir);
      const first = await start();
      await page.goto(first);
      await expect(page.getByTestId('connection')).toHaveText('Connected');
      await createProject(page, projectDir);

      // The server stops: the tab says so and how to get back, instead of "Reconnecting…" forever.
      await stop();
      await expect(page.getByTestId('connection')).toHaveText('Server not running', { timeout: 20_000 });
      await expect(page.getByTestId('connection-notice')).toContainText('Start it again with `npm run serve`');

      // Same data folder: the same address (token and port).
      expect(await start()).toBe(first);
      await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 20_000 });
      await expect(page.getByTestId('connection-notice')).toBeHidden();
      await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project');

      // The printed address opens the app again in this profile, twice, and in a fresh one.
      for (let i = 0; i < 2; i++) {
        const again = await context.newPage();
        const againProblems = collectProblems(again);
        await again.goto(first);
        await expect(again.getByTestId('connection')).toHaveText('Connected');
        await expect(again.getByTestId('sidebar-project')).toHaveText('flowers-project');
        expect(againProblems).toEqual([]);
        await again.close();
      }
      await freshProfileOpens(browser, first, viewport);
    });
  });
}

test('after --new-token an open tab says its address is out of date; the old address gets a readable page', async ({ browser }) => {
  await withOwnServers(browser, VIEWPORTS[0], [...DOWNTIME, /status of 401/], async ({ page, start, stop }) => {
    const first = await start();
    await page.goto(first);
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    await stop();
    const second = await start('--new-token');
    expect(second).not.toBe(first);
    expect(new URL(second).port).toBe(new URL(first).port);
    // The tab's token no longer opens the socket: it says so and stops knocking.
    await expect(page.getByTestId('connection')).toHaveText('Address out of date', { timeout: 20_000 });
    await expect(page.getByTestId('connection-notice')).toContainText('This address is out of date — open the address printed by `npm run serve`');
    // A reload (old cookie) and the old printed address: a readable page, not a bare "Unauthorized".
    await page.reload();
    await expect(page.getByRole('heading', { name: 'This address is out of date' })).toBeVisible();
    await page.goto(first);
    await expect(page.getByRole('heading', { name: 'This address is out of date' })).toBeVisible();
    await expect(page.locator('body')).toContainText('npm run serve -- --new-token');
    // The new address works in the same tab.
    await page.goto(second);
    await expect(page.getByTestId('connection')).toHaveText('Connected');
  });
});

test('"Try an image" keeps working after a restart: the page confirms its earlier choice to the new server', async ({ browser }) => {
  const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
  test.skip(!!skip, String(skip));
  await withOwnServers(browser, VIEWPORTS[0], DOWNTIME, async ({ root, page, start, stop }) => {
    const projectDir = join(root, 'flowers-project');
    const data = makeFlowersSubset(root, { perClass: 2, seed: 4, trainLines: 4, testLines: 2 });
    const cli = cliRunner(join(root, 'cli-data'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
    for (const args of [
      ['init', projectDir],
      ['import-images', projectDir, data.images],
      ['import-triplets', projectDir, data.train, '--split', 'train'],
      ['train', projectDir, '--epochs', '1', '--ensemble', '1'],
    ]) {
      const r = await cli(...args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
    }
    const outside = join(root, 'outside.jpg');
    copyFileSync(join(data.images, 'roses', readdirSync(join(data.images, 'roses'))[0]), outside);

    await page.goto(await start());
    await page.getByTestId('open-project').click();
    await typePath(page, projectDir);
    await page.getByTestId('nav-train').click();
    await page.getByTestId('try-image-panel-choose').click();
    await typePath(page, outside);
    const tried = page.getByTestId('try-image-panel-items').locator('[data-name]');
    await expect(tried).toHaveCount(10, { timeout: 60_000 });

    // A new server knows nothing of the file picked on the old one; the reopened project searches again.
    await stop();
    await start();
    await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 20_000 });
    await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project');
    await expect(page.getByTestId('try-image-panel-query')).toContainText('outside.jpg');
    await expect(tried).toHaveCount(10);
    await expect(tried.first()).toHaveAttribute('title', /d = 0\.0000/);
    await expect(page.getByTestId('try-image-panel-error')).toBeHidden();
  });
});
