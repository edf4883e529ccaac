// The Library's import report tells what happened: an identical copy is another path of one image
// (not "skipped"), an unreadable file is skipped with its reason.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createProject, expect, test, typePath } from './fixtures.js';

test('import report lists identical copies and skipped files', async ({ app: page, projectDir }) => {
  const folder = mkdtempSync(join(tmpdir(), 'ts-e2e-pics-'));
  try {
    const png = (r: number) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g: 90, b: 30 } } }).png().toBuffer();
    const a = await png(200);
    mkdirSync(join(folder, 'sub'));
    writeFileSync(join(folder, 'a.png'), a);
    writeFileSync(join(folder, 'sub', 'copy.png'), a);
    writeFileSync(join(folder, 'b.png'), await png(20));
    writeFileSync(join(folder, 'notes.txt'), 'not an image\n');
    await createProject(page, projectDir);
    await page.getByTestId('import-images').click();
    await typePath(page, folder);
    await expect(page.getByTestId('library-count')).toHaveText('2 images');
    await expect(page.getByTestId('import-report')).toContainText('2 added');
    await expect(page.getByTestId('import-duplicates')).toContainText(`${join(folder, 'sub', 'copy.png')} = a.png`);
    await expect(page.getByTestId('import-skipped')).toContainText('notes.txt — not an image (unsupported format)');
    await expect(page.getByTestId('import-skipped')).not.toContainText('copy.png');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a photo changed on disk: re-import says so, its triplet is marked until the label is checked', async ({ app: page, projectDir }) => {
  const folder = mkdtempSync(join(tmpdir(), 'ts-e2e-pics-'));
  try {
    const png = (r: number, w = 32) => sharp({ create: { width: w, height: 24, channels: 3, background: { r, g: 90, b: 30 } } }).png().toBuffer();
    for (const [i, name] of ['a.png', 'b.png', 'c.png'].entries()) writeFileSync(join(folder, name), await png(40 + 60 * i));
    const tripletFile = join(folder, '..', `${folder.split('/').pop()}-train.txt`);
    writeFileSync(tripletFile, 'a.png b.png c.png\n');
    await createProject(page, projectDir);
    await page.getByTestId('import-images').click();
    await typePath(page, folder);
    await expect(page.getByTestId('library-count')).toHaveText('3 images');
    await page.getByTestId('nav-triplets').click();
    await page.getByTestId('import-triplets').click();
    await page.getByTestId('fileop-path').fill(tripletFile);
    await page.getByTestId('fileop-submit').click();
    await expect(page.getByTestId('fileop-dialog')).toBeHidden();
    await expect(page.getByTestId('triplet-flag')).toHaveCount(0);

    writeFileSync(join(folder, 'a.png'), await png(250, 40));
    await page.getByTestId('nav-library').click();
    await page.getByTestId('import-images').click();
    await typePath(page, folder);
    await expect(page.getByTestId('import-flagged')).toContainText('1 triplet flagged');
    await page.getByTestId('nav-triplets').click();
    await expect(page.getByTestId('triplet-flag')).toHaveCount(1);
    await page.getByTestId('triplet-row').first().click();
    await page.getByTestId('triplet-flag-clear').click();
    await expect(page.getByTestId('triplet-flag')).toHaveCount(0);
    rmSync(tripletFile, { force: true });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a huge folder picked by mistake: the job bar counts the files found while listing, and Cancel says "Import cancelled", not a failure', async ({ app: page, projectDir }) => {
  const huge = '/usr/share'; // tens of thousands of files on any Linux machine
  test.skip(!existsSync(huge), `${huge} is not here`);
  await createProject(page, projectDir);
  await page.getByTestId('import-images').click();
  await typePath(page, huge);
  await expect(page.getByText('scanning — Listing the folder: files found so far')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel', exact: true }).first().click();
  await expect(page.getByTestId('toast-info')).toContainText('Import cancelled');
  await expect(page.getByTestId('toast-info')).toContainText('The images imported so far stay in the project; importing the folder again finishes it.');
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
});
