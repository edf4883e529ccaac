// Playwright fixtures: a browser-mode server per test (spawned `node scripts/serve.mjs` with a
// fresh data folder and the shared backbones) and a fresh project folder per test.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedModelsDir } from '../helpers/shared.js';

export interface Studio {
  url: string;
  dataDir: string;
}

/** Starts a server script and resolves with the address it prints once it listens. */
export async function startStudio(args: string[], extraEnv: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const env = { ...process.env, ...extraEnv };
  if (!extraEnv.TRIPLET_STUDIO_BACKBONES && existsSync(sharedModelsDir())) env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`server did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (buf: Buffer) => {
      output += buf.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so a chatty server never blocks; show its errors in the test log.
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').on('data', (b: Buffer) => process.stderr.write(`[server] ${b}`));
  return { url, child };
}

/** Stops a spawned server and waits for it to exit. */
export async function stopStudio(child: ChildProcess): Promise<void> {
  if (child.exitCode != null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The ERROR entries of a data folder's diagnostics log, each with its stack. */
export function loggedErrors(dataDir: string): string[] {
  const file = join(dataDir, 'logs', 'triplet-studio.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\n(?=\d{4}-\d\d-\d\dT)/)
    .filter((entry) => / ERROR /.test(entry.split('\n')[0]));
}

export const test = base.extend<{ projectDir: string; app: Page; studio: Studio; allowLoggedErrors: boolean }>({
  /** A test that makes errors happen on purpose sets this; every other flow must log none. */
  allowLoggedErrors: [false, { option: true }],
  studio: [
    async ({ allowLoggedErrors }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ts-e2e-data-'));
      try {
        const { url, child } = await startStudio([join(repoRoot, 'scripts', 'serve.mjs'), '--data', dataDir]);
        try {
          await use({ url, dataDir });
        } finally {
          await stopStudio(child);
        }
        // A bug the UI swallowed (a toast, a retry) still leaves its stack in the diagnostics log.
        if (!allowLoggedErrors) expect(loggedErrors(dataDir), 'no unexpected error in the diagnostics log').toEqual([]);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    // One server per test: each test starts with no project open and an empty recent list.
    { timeout: 90_000 },
  ],
  projectDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-e2e-project-'));
    const project = join(dir, 'flowers-project');
    mkdirSync(project);
    await use(project);
    rmSync(dir, { recursive: true, force: true });
  },
  /** The app loaded in the page, with console errors and CSP violations collected as failures. */
  app: async ({ page, studio }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource.*404/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    await page.goto(studio.url);
    await expect(page.getByTestId('view-projects')).toBeVisible();
    await use(page);
    expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
  },
});

export { expect };

/**
 * Collects page errors and console errors of `page` (404s and what `allow` matches aside): a test
 * that manages its own pages and servers checks the list is empty at the end.
 */
export function collectProblems(page: Page, allow: RegExp[] = []): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (m.type() === 'error' && !/Failed to load resource.*404/.test(text) && !allow.some((r) => r.test(text))) problems.push(`console error: ${text}`);
  });
  return problems;
}

/** The two window sizes the layout must work at. */
export const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

/** Answers the path dialog (browser mode has no native picker). */
export async function typePath(page: Page, path: string): Promise<void> {
  const dialog = page.getByTestId('path-dialog');
  await expect(dialog).toBeVisible();
  // Typed before the starting folder fills the field, the two could mix (a listing arriving between
  // fill's select-all and its typing put the folder in front of the path).
  await expect(dialog.locator('form')).toHaveAttribute('aria-busy', 'false');
  await page.getByTestId('path-input').fill(path);
  await page.getByTestId('path-ok').click();
  await expect(dialog).toBeHidden();
}

/** Creates a project in `dir` through the UI. */
export async function createProject(page: Page, dir: string): Promise<void> {
  await page.getByTestId('create-project').click();
  await typePath(page, dir);
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project');
}

/**
 * Saves a screenshot of the page in light and dark colour schemes, for people to look at (nothing
 * compares them). CI skips them (0.7 s each, 36 of them) unless TRIPLET_STUDIO_SNAPSHOTS=1.
 */
export async function snap(page: Page, name: string): Promise<void> {
  if (process.env.CI && process.env.TRIPLET_STUDIO_SNAPSHOTS !== '1') return;
  const dir = join(repoRoot, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(dir, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
