// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y reach the triplet history only in Triplets and Review with no dialog
// open; in a text field they stay the browser's text undo. Counts the undo/redo requests the page
// sends to a fake service (support/fake-service.ts), which answers each after 400 ms: keys pressed
// while a step is on its way still count, one step each (they were dropped, and CI once saw 2 of 3).
import { test as base, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/shared.js';
import { startStudio, stopStudio, typePath } from './fixtures.js';

const test = base.extend<object, { fake: { url: string; child: ChildProcess } }>({
  fake: [
    async ({}, use) => {
      const s = await startStudio(['--import', 'tsx', join(repoRoot, 'test', 'e2e', 'support', 'serve-fake.ts')], { FAKE_IMAGES: '50', FAKE_HISTORY_DELAY_MS: '400' });
      await use(s);
      await stopStudio(s.child);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test('history shortcuts never act behind a dialog, in a text field or from another view', async ({ page, fake }) => {
  const sent: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const msg = JSON.parse(String(f.payload));
      if (msg.name === 'undo' || msg.name === 'redo') sent.push(msg.name);
    }),
  );
  await page.goto(fake.url);
  await page.getByTestId('create-project').click();
  await typePath(page, '/tmp/ts-e2e-undo-gate');
  await expect(page.getByTestId('view-library')).toBeVisible();

  // A view that edits nothing: nothing is sent, the user is told where undo works.
  await page.getByTestId('nav-projects').click();
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('toast-info').last()).toContainText('Undo works in Library, Triplets and Review');
  expect(sent).toEqual([]);

  // Triplets, no dialog: each shortcut reaches the history.
  await page.getByTestId('nav-triplets').click();
  await expect(page.getByTestId('view-triplets')).toBeVisible();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+Shift+Z');
  await page.keyboard.press('Control+y');
  await expect.poll(() => sent.length).toBe(3);
  expect(sent).toEqual(['undo', 'redo', 'redo']);

  // The help overlay (a modal): nothing is sent.
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+Shift+Z');
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toBeHidden();

  // The import dialog: Ctrl+Z in its path field is the field's own undo; outside the field, nothing.
  await page.getByTestId('import-triplets').click();
  const field = page.getByTestId('fileop-path');
  await field.click();
  await page.keyboard.type('/tmp/abc.txt');
  await expect(field).toHaveValue('/tmp/abc.txt');
  await page.keyboard.press('Control+z');
  await expect(field).not.toHaveValue('/tmp/abc.txt');
  await page.getByTestId('fileop-dialog').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await page.waitForTimeout(300);
  expect(sent, 'no undo/redo request while a dialog was open or a text field had focus').toEqual(['undo', 'redo', 'redo']);
  // Ctrl+digit does not switch views behind the dialog either (bare digits never did).
  await field.click();
  await page.keyboard.press('Control+6');
  await expect(page.getByTestId('fileop-dialog')).toBeVisible();
  await expect(page.getByTestId('view-triplets')).toBeVisible();
  await page.getByTestId('fileop-cancel').click();

  // Dialog closed: the history answers again.
  await page.keyboard.press('Control+z');
  await expect.poll(() => sent.length).toBe(4);
});
