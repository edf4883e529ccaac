// Browser mode's folder and file browser: a project folder picked by clicking only (starting at
// the home folder), typing filters and Tab completes, hidden folders on request, a relative path
// refused with a clear message (it used to create the project inside the app's own folder), and
// export asks before replacing an existing file — from the typed path and from the browser.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { createProject, expect, test, typePath, VIEWPORTS } from './fixtures.js';

for (const viewport of VIEWPORTS) {
  test.describe(`${viewport.width}px`, () => {
    test.use({ viewport });

    test('pick a project folder by clicking; relative paths refused; export asks before replacing', async ({ app: page }) => {
      const root = mkdtempSync(join(tmpdir(), 'ts-e2e-pick-'));
      try {
        mkdirSync(join(root, 'flowers-project'));
        mkdirSync(join(root, '.hidden-folder'));
        const input = page.getByTestId('path-input');
        const entry = (name: string) => page.locator(`[data-testid="browse-entry"][data-name="${name}"]`);

        await page.getByTestId('create-project').click();
        await expect(page.getByTestId('path-dialog')).toBeVisible();
        await expect(input).toHaveValue(/\/$/); // the home folder, listed
        await expect(page.getByTestId('browse-list')).toBeVisible();

        // A relative path is refused in words, and OK does not take it.
        await input.fill('myproject');
        await expect(page.getByTestId('browse-error')).toContainText('"myproject" is not a full path');
        await page.getByTestId('path-ok').click();
        await expect(page.getByTestId('path-dialog')).toBeVisible();
        await expect(page.getByTestId('browse-error')).toContainText('is not a full path');

        // Typing filters, Tab completes a lone match.
        await input.fill('/tm');
        await expect(entry('tmp')).toBeVisible();
        await input.press('Tab');
        await expect(input).toHaveValue('/tmp/');
        // With nothing left to complete, Tab leaves the field (it was a keyboard trap).
        await expect(page.getByTestId('browse-list')).toBeVisible();
        await input.press('Tab');
        await expect(input).not.toBeFocused();
        await expect(input).toHaveValue('/tmp/');

        // Clicking only: up to the top, then down into the folder.
        for (let i = 0; i < 12 && (await input.inputValue()) !== '/'; i++) await page.getByTestId('browse-up').click();
        await expect(input).toHaveValue('/');
        await entry('tmp').click();
        await expect(input).toHaveValue('/tmp/');
        await entry(basename(root)).click();
        await expect(input).toHaveValue(`${root}/`);
        await expect(entry('flowers-project')).toBeVisible();
        await expect(entry('.hidden-folder')).toHaveCount(0);
        await page.getByTestId('browse-hidden').check();
        await expect(entry('.hidden-folder')).toBeVisible();
        await page.getByTestId('browse-hidden').uncheck();
        await expect(entry('.hidden-folder')).toHaveCount(0);
        await entry('flowers-project').click();
        await expect(input).toHaveValue(`${root}/flowers-project/`);
        await page.getByTestId('path-ok').click();
        await expect(page.getByTestId('path-dialog')).toBeHidden();
        await expect(page.getByTestId('view-library')).toBeVisible();
        await expect(page.getByTestId('sidebar-project')).toHaveText('flowers-project');

        // Export to an existing file: asked first, written only after "Replace".
        const out = join(root, 'out.txt');
        writeFileSync(out, 'keep me\n');
        await page.getByTestId('nav-triplets').click();
        await page.getByTestId('export-triplets').click();
        await page.getByTestId('fileop-path').fill(out);
        await page.getByTestId('fileop-submit').click();
        await expect(page.getByTestId('fileop-replace-ask')).toContainText(`${out} already exists`);
        expect(readFileSync(out, 'utf8')).toBe('keep me\n');
        await page.getByTestId('fileop-replace').click();
        await expect(page.getByTestId('toast-success').filter({ hasText: 'Triplets exported' })).toBeVisible();
        expect(readFileSync(out, 'utf8')).toBe('');

        // The same through Browse…: the browser asks, then the export goes ahead without asking twice.
        writeFileSync(out, 'keep me too\n');
        await page.getByTestId('export-triplets').click();
        await page.getByTestId('fileop-browse').click();
        await expect(page.getByTestId('path-dialog')).toBeVisible();
        await expect(page.getByTestId('path-dialog').locator('form')).toHaveAttribute('aria-busy', 'false');
        await input.fill(`${root}/`);
        await entry('out.txt').click();
        await expect(input).toHaveValue(out);
        await page.getByTestId('path-ok').click();
        await expect(page.getByTestId('browse-replace-ask')).toContainText(`${out} already exists`);
        await page.getByTestId('browse-replace').click();
        await expect(page.getByTestId('path-dialog')).toBeHidden();
        await expect(page.getByTestId('fileop-path')).toHaveValue(out);
        expect(readFileSync(out, 'utf8')).toBe('keep me too\n');
        await page.getByTestId('fileop-submit').click();
        await expect(page.getByTestId('fileop-dialog')).toBeHidden();
        expect(readFileSync(out, 'utf8')).toBe('');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}

test.describe('drop zone', () => {
  test.use({ viewport: VIEWPORTS[0] });
  const skip = skipWithoutShared();
  test.skip(!!skip, skip || '');

  test('a dropped triplet file is imported with its report; the browser file chooser works too', async ({ app: page, projectDir }) => {
    const data = makeFlowersSubset(join(projectDir, '..', 'subset'), { perClass: 4, seed: 5, trainLines: 40, testLines: 10 });
    await createProject(page, projectDir);
    await page.getByTestId('import-images').click();
    await typePath(page, data.images);
    await expect(page.getByTestId('library-count')).toHaveText('20 images', { timeout: 120_000 });
    await page.getByTestId('nav-triplets').click();

    // A real drop: a DataTransfer with the file's text, as the browser builds it from a file manager.
    await page.getByTestId('import-triplets').click();
    const text = readFileSync(data.train, 'utf8');
    await page.getByTestId('fileop-drop').evaluate((el, content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'train.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await expect(page.getByTestId('toast-success').filter({ hasText: 'Triplets imported' })).toContainText('40 triplets added to train');
    await expect(page.getByTestId('triplet-count')).toContainText('40 train');
    expect(readFileSync(join(projectDir, 'received', 'train.txt'), 'utf8')).toBe(text);

    // The browser's own chooser (click on the zone): a file with a bad line is refused with its report, naming it.
    const bad = join(projectDir, '..', 'bad.txt');
    writeFileSync(bad, `${text.split('\n')[0]}\nno_such.jpg a.jpg b.jpg\n`);
    await expect(page.getByTestId('fileop-dialog')).toBeHidden(); // a clean import closes the dialog
    await page.getByTestId('import-triplets').click();
    await page.getByTestId('fileop-split').selectOption('test');
    await page.getByTestId('fileop-drop-input').setInputFiles(bad);
    await expect(page.getByTestId('triplet-import-issues').locator('li')).toContainText([`${join(projectDir, 'received', 'bad.txt')}:2:`]);
    await expect(page.getByTestId('triplet-count')).toContainText('40 train');
  });
});
