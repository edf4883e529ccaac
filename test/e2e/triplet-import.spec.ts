// The triplet import dialog on generated files: a train file imported as test is refused with a
// prominent leakage warning and can be imported anyway on request; a file of 20,000 bad lines shows
// a capped list with the total. Image rows are written straight into the store (no pictures needed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/main/store/db.js';
import { createProject, expect, test } from './fixtures.js';
import type { Page } from '@playwright/test';

/** A project whose images are rows only (triplet import and editing need no pictures). */
async function filelessProject(page: Page, projectDir: string, names: string[]): Promise<void> {
  await createProject(page, projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (const n of names) ins.run(n, n, `/nowhere/${n}`, n);
  db.close();
  // Written by another connection: the app has seen them once the sidebar counts them.
  await expect(page.getByTestId('nav-library')).toContainText(String(names.length));
}

test('leakage is shown and refused, "import anyway" imports it; long error lists are capped', async ({ app: page, projectDir }) => {
  await createProject(page, projectDir);
  const db = openDb(join(projectDir, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (const n of ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']) ins.run(n, n, `/nowhere/${n}`, n);
  db.close();
  const train = join(projectDir, '..', 'train.txt');
  writeFileSync(train, 'a.jpg b.jpg c.jpg\n');
  const importFile = async (file: string, split: 'train' | 'test') => {
    await page.getByTestId('import-triplets').click();
    await page.getByTestId('fileop-path').fill(file);
    await page.getByTestId('fileop-split').selectOption(split);
    await page.getByTestId('fileop-submit').click();
  };
  await page.getByTestId('nav-triplets').click();
  await importFile(train, 'train');
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();

  // Lines that leak only together: this test file's two lines use a, b and c between them. The file
  // is imported, and the dialog stays to name the train triplet that now leaks.
  const together = join(projectDir, '..', 'together.txt');
  writeFileSync(together, 'a.jpg d.jpg b.jpg\nc.jpg b.jpg d.jpg\n');
  await importFile(together, 'test');
  await expect(page.getByTestId('triplet-import-report')).toContainText('2 triplets added.');
  await expect(page.getByTestId('triplet-import-completed-leak')).toContainText('1 stored train triplet now uses only images of test triplets');
  await expect(page.getByTestId('triplet-import-completed-leak')).toContainText('#1');
  await page.getByTestId('fileop-cancel').click();
  await expect(page.getByTestId('triplet-count')).toContainText('1 train · 2 test');

  await importFile(train, 'test');
  const leak = page.getByTestId('triplet-import-leakage');
  await expect(leak).toContainText('Train/test leakage');
  await expect(leak).toContainText('The file was refused.');
  await expect(leak).toContainText(`${train}:1: same triplet as train triplet #1 from train.txt:1`);
  await expect(page.getByTestId('triplet-import-report')).toContainText('Nothing imported.');
  await page.getByTestId('fileop-allow-leakage').click();
  await expect(page.getByTestId('triplet-import-report')).toContainText('1 triplet added.');
  await expect(leak).toContainText('They were imported anyway.');
  await page.getByTestId('fileop-cancel').click();
  await expect(page.getByTestId('triplet-count')).toContainText('1 train · 3 test');


  const bad = join(projectDir, '..', 'bad.txt');
  writeFileSync(bad, Array.from({ length: 20_000 }, (_, i) => `a.jpg b.jpg missing-${i}.jpg\n`).join(''));
  await importFile(bad, 'train');
  const issues = page.getByTestId('triplet-import-issues').locator('li');
  await expect(issues).toHaveCount(501);
  await expect(issues.last()).toHaveText('… and 19,500 more');
  await expect(page.getByTestId('triplet-import-report')).toContainText('20,000 problems');
});

test('the good lines offered are those that would be added; another path or split drops the report; an empty file says so', async ({ app: page, projectDir }) => {
  await filelessProject(page, projectDir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
  const dir = join(projectDir, '..');
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const stored = write('stored.txt', 'a.jpg b.jpg c.jpg\n');
  // Comments, blank lines, a stored line and its contradiction are not good lines to add: one is.
  const mixed = write('mixed.txt', '# a comment\n\n\na.jpg b.jpg c.jpg\na.jpg c.jpg b.jpg\nd.jpg a.jpg b.jpg\na.jpg nope.jpg c.jpg\n');
  const other = write('other.txt', 'nope.jpg a.jpg b.jpg\nb.jpg c.jpg d.jpg\n');
  await page.getByTestId('nav-triplets').click();
  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(stored);
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();

  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(mixed);
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('triplet-import-report')).toContainText('Nothing imported.');
  await expect(page.getByTestId('fileop-skip-invalid')).toHaveText('Import the good line only');
  // Another file typed in: the report (and its offer) was of the first one.
  await page.getByTestId('fileop-path').fill(other);
  await expect(page.getByTestId('triplet-import-report')).toBeHidden();
  await expect(page.getByTestId('fileop-skip-invalid')).toBeHidden();
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('fileop-skip-invalid')).toHaveText('Import the good line only');
  await page.getByTestId('fileop-skip-invalid').click();
  await expect(page.getByTestId('triplet-import-report')).toContainText('1 triplet added.');
  await page.getByTestId('fileop-cancel').click();
  await expect(page.getByTestId('triplet-count')).toContainText('2 train');

  // A file with no triplet line is an error naming it, not "0 triplets added".
  const empty = write('empty.txt', '# nothing here\n\n');
  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(empty);
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('toast-error')).toContainText(`${empty} holds no triplet lines`);
  await expect(page.getByTestId('toast-success')).toHaveCount(0);
});

test('in the list, the selection stays on a triplet that a move re-sorts; a delete says so', async ({ app: page, projectDir }) => {
  // Three triplets on their own images, so a move to test leaks nothing.
  await filelessProject(page, projectDir, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((n) => `${n}.jpg`));
  const file = join(projectDir, '..', 'three.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\nd.jpg e.jpg f.jpg\ng.jpg h.jpg i.jpg\n');
  await page.getByTestId('nav-triplets').click();
  await page.getByTestId('import-triplets').click();
  await page.getByTestId('fileop-path').fill(file);
  await page.getByTestId('fileop-submit').click();
  await expect(page.getByTestId('fileop-dialog')).toBeHidden();
  const rows = page.getByTestId('triplet-row');
  await expect(rows).toHaveCount(3);
  await rows.nth(0).click();
  // M moves #1 to test, the end of the list: the selection goes with it, so a second M moves it back.
  await page.keyboard.press('m');
  await expect(page.getByTestId('status-line')).toContainText('Moved to test · triplet #1');
  await expect(rows.nth(2)).toHaveClass(/selected/);
  await expect(rows.nth(2)).toHaveAttribute('data-id', '1');
  await page.keyboard.press('m');
  await expect(page.getByTestId('status-line')).toContainText('Moved to train · triplet #1');
  await expect(page.getByTestId('triplet-count')).toContainText('3 train');
  const selected = page.locator('[data-testid="triplet-row"].selected');
  await expect(selected).toHaveAttribute('data-id', '1');
  // Delete is said, with its undo.
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('status-line')).toContainText('Deleted · triplet #1 · Ctrl+Z to undo');
  await expect(rows).toHaveCount(2);
});

test('the maker: a picked image clicked again is unpicked and its place refilled; Esc keeps the picks; Ctrl+Enter creates', async ({ app: page, projectDir }) => {
  await filelessProject(page, projectDir, ['a', 'b', 'c', 'd'].map((n) => `${n}.jpg`));
  await page.getByTestId('nav-triplets').click();
  await page.getByTestId('new-triplet').click();
  const item = (name: string) => page.locator(`[data-testid="maker-item"][data-name="${name}"]`);
  const place = (role: string) => page.getByTestId(`maker-frame-${role}`).locator('.name');
  for (const n of ['a.jpg', 'b.jpg', 'c.jpg']) await item(n).click();
  await expect(page.getByTestId('maker-save')).toBeEnabled();
  // b.jpg was the wrong positive: clicked again it leaves its place, and the next click fills that place.
  await item('b.jpg').click();
  await expect(place('positive')).toHaveText('—');
  await expect(place('negative')).toHaveText('c.jpg');
  await expect(page.getByTestId('maker-save')).toBeDisabled();
  await item('d.jpg').click();
  await expect(place('positive')).toHaveText('d.jpg');
  // Esc goes back to the list; the maker opens again with its picks.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('triplet-maker')).toBeHidden();
  await page.keyboard.press('n');
  await expect(place('anchor')).toHaveText('a.jpg');
  await expect(place('positive')).toHaveText('d.jpg');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('toast-success').filter({ hasText: 'Triplet created' })).toBeVisible();
  await expect(page.getByTestId('triplet-count')).toContainText('1 train');
  await expect(place('anchor')).toHaveText('—');
});
