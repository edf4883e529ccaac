// The diagnostics log in browser mode: Help names the file; a bug in the page is written there with
// its stack and the user is told once; the server's start is there, its token never.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// This test makes the page fail on purpose: its errors are expected in the log.
test.use({ allowLoggedErrors: true });

test('Help names the diagnostics log; an uncaught error in the page lands there with its stack, and the user is told', async ({ app, studio }) => {
  const logFile = join(studio.dataDir, 'logs', 'triplet-studio.log');
  await app.keyboard.press('?');
  await expect(app.getByTestId('help-log-file')).toHaveText(logFile);
  await app.keyboard.press('Escape');

  // A second tab of the same server, where a bug is made to happen (the `app` fixture fails on page errors).
  const other = await app.context().newPage();
  const pageErrors: string[] = [];
  other.on('pageerror', (e) => pageErrors.push(e.message));
  await other.goto(studio.url);
  await expect(other.getByTestId('view-projects')).toBeVisible();
  await other.evaluate(() => {
    setTimeout(() => {
      throw new TypeError('e2e: a bug in a timer');
    }, 0);
    void Promise.reject(new RangeError('e2e: a rejection nobody handled'));
  });
  await expect(other.getByTestId('toast-error')).toHaveCount(1);
  await expect(other.getByTestId('toast-error')).toContainText('Something went wrong in this window');
  await expect.poll(() => readFileSync(logFile, 'utf8'), { timeout: 10_000 }).toMatch(/renderer \(unhandled rejection\): RangeError: e2e: a rejection nobody handled/);
  const text = readFileSync(logFile, 'utf8');
  expect(text).toMatch(/ERROR service pid \d+ renderer \(error\): TypeError: e2e: a bug in a timer\n\s+at /);
  expect(text).toMatch(/INFO browser mode pid \d+ started at http:\/\/127\.0\.0\.1:\d+ /);
  const token = new URL(studio.url).searchParams.get('token')!;
  expect(text.includes(token)).toBe(false);
  expect(pageErrors.sort()).toEqual(['e2e: a bug in a timer', 'e2e: a rejection nobody handled']);
  await other.close();
});
