// One edit, one fetch per list: the renderer refreshes what it shows on the service's
// `project:changed` events only, so a swap, an undo, a flag check or an import costs exactly one
// listTriplets and one projectInfo (before, the caller and the event both refetched). Requests are
// counted on the WebSocket against the real browser-mode server; image rows go straight into the store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openDb } from '../../src/main/store/db.js';
import { createProject, expect, test } from './fixtures.js';

/** Requests sent by the page and change events it received, by name, since the last reset. */
function countRequests(page: Page): { of: (name: string) => number; changes: () => string[]; reset: () => void } {
  let sent: string[] = [];
  let changes: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      const msg = JSON.parse(String(f.payload)) as { t?: string; name?: string };
      if (msg.t === 'req' && msg.name) sent.push(msg.name);
    });
    ws.on('framereceived', (f) => {
      const msg = JSON.parse(String(f.payload)) as { t?: string; name?: string; payload?: { what?: string } };
      if (msg.t === 'evt' && msg.name === 'project:changed') changes.push(msg.payload?.what ?? '');
    });
  });
  return {
    of: (name) => sent.filter((n) => n === name).length,
    changes: () => changes,
    reset: () => ((sent = []), (changes = [])),
  };
}

/** Waits past the service's external-change watcher tick (1 s), so a late duplicate fetch shows up. */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(1300);
}

test('each triplet edit, undo and import fetches the list and the counts once', async ({ page, studio, projectDir }) => {
  const requests = countRequests(page);
  await page.goto(studio.url);
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await createProject(page, projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (const n of ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']) ins.run(n, n, `/nowhere/${n}`, n);
  db.close();
  const train = join(projectDir, '..', 'train.txt');
  writeFileSync(train, 'a.jpg b.jpg c.jpg\na.jpg c.jpg d.jpg\nb.jpg c.jpg e.jpg\n');

  // The rows written here come from another connection: let the service report them first.
  await expect.poll(() => requests.changes()).toContain('images');
  await page.getByTestId('nav-triplets').click();
  await expect(page.getByTestId('triplets-empty')).toBeVisible();
  await settle(page);

  // Import: one list fetch (the first page) and one count fetch once it has landed.
  requests.reset();
  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(train);
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();
  await expect(page.getByTestId('triplet-row')).toHaveCount(3);
  await expect(page.getByTestId('triplet-count')).toContainText('3 train');
  await settle(page);
  expect(requests.of('importTriplets')).toBe(1);
  expect(requests.of('listTriplets'), 'one list fetch per import').toBe(1);
  expect(requests.of('projectInfo'), 'one count fetch per import').toBe(1);
  expect(requests.changes().filter((w) => w === 'triplets'), 'the import worker\'s commit is reported once, not again by the watcher').toHaveLength(1);

  // Swap with the key: one edit, one list fetch, one count fetch.
  const row = page.getByTestId('triplet-row').nth(0);
  await row.click();
  const [pos, neg] = [await row.locator('.pos').getAttribute('data-name'), await row.locator('.neg').getAttribute('data-name')];
  requests.reset();
  await page.keyboard.press('s');
  await expect(row.locator('.pos')).toHaveAttribute('data-name', neg!);
  await settle(page);
  expect(requests.of('editTriplet')).toBe(1);
  expect(requests.of('listTriplets'), 'one list fetch per edit').toBe(1);
  expect(requests.of('projectInfo'), 'one count fetch per edit').toBe(1);

  // Exclude with the button: the counts change too, still one of each.
  requests.reset();
  await page.getByTestId('triplet-exclude').click();
  await expect(page.getByTestId('triplet-count')).toContainText('1 excluded');
  await settle(page);
  expect(requests.of('editTriplet')).toBe(1);
  expect(requests.of('listTriplets'), 'one list fetch per exclusion').toBe(1);
  expect(requests.of('projectInfo'), 'one count fetch per exclusion').toBe(1);

  // Undo twice: each brings one list fetch, and the swap is gone.
  for (const expected of ['0 excluded', null]) {
    requests.reset();
    await page.keyboard.press('Control+z');
    if (expected) await expect(page.getByTestId('triplet-count')).toContainText(expected);
    else await expect(row.locator('.pos')).toHaveAttribute('data-name', pos!);
    await settle(page);
    expect(requests.of('undo')).toBe(1);
    expect(requests.of('listTriplets'), 'one list fetch per undo').toBe(1);
    expect(requests.of('projectInfo'), 'one count fetch per undo').toBe(1);
  }

  // A new triplet from the maker: one list fetch when the list is shown again, none twice.
  requests.reset();
  await page.getByTestId('new-triplet').click();
  await page.locator('[data-testid="maker-item"][data-name="d.jpg"]').click();
  await page.locator('[data-testid="maker-item"][data-name="e.jpg"]').click();
  await page.locator('[data-testid="maker-item"][data-name="a.jpg"]').click();
  await page.getByTestId('maker-save').click();
  await expect(page.getByTestId('triplet-count')).toContainText('4 train');
  await settle(page);
  expect(requests.of('createTriplet')).toBe(1);
  expect(requests.of('listTriplets'), 'the hidden list is not fetched while the maker is shown').toBe(0);
  expect(requests.of('listImages'), 'the maker grid loads once').toBe(1);
  expect(requests.of('projectInfo'), 'one count fetch per new triplet').toBe(1);
});
