// Browser end-to-end suite: Debian's Chromium against the browser-mode server (npm run serve),
// one server per worker with a fresh data folder, one fresh project folder per test.
import { availableParallelism } from 'node:os';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two spec files at a time where there are two cores (each test has its own server, data folder and
  // project): 509 s against 544 s one at a time for the whole suite on 2 cores, 2026-12-07.
  workers: availableParallelism() >= 2 ? 2 : 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  globalSetup: './test/e2e/global-setup.ts',
  use: {
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
