// The triplet import dialog on generated files: a train file imported as test is refused with a
// prominent leakage warning and can be imported anyway on request; a file of 20,000 bad lines shows
// a capped list with the total. Image rows are written straight into the store (no pictures needed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/main/store/db.js';
import { createProject, expect, test } from './fixtures.js';

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
  await expect(page.getByTestId('triplet-count')).toContainText('1 train · 1 test');

  const bad = join(projectDir, '..', 'bad.txt');
  writeFileSync(bad, Array.from({ length: 20_000 }, (_, i) => `a.jpg b.jpg missing-${i}.jpg\n`).join(''));
  await importFile(bad, 'train');
  const issues = page.getByTestId('triplet-import-issues').locator('li');
  await expect(issues).toHaveCount(501);
  await expect(issues.last()).toHaveText('… and 19,500 more');
  await expect(page.getByTestId('triplet-import-report')).toContainText('20,000 problems');
});
