// Removing images in the Library (real engine): "(top level)" in the folder menu shows only the
// top-level images and Remove… takes only those; a folder filter's Remove… asks first and names the
// images triplets keep; Enter removes the others; Ctrl+Z brings them back; Delete on a selected image
// asks for that one, or for the images marked with Ctrl/Shift+click; an image a triplet uses cannot
// be removed from its detail panel.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { createProject, expect, snap, test, typePath } from './fixtures.js';

const skip = skipWithoutShared();

test('Remove… asks first, keeps images triplets use, Ctrl+Z brings the rest back; Delete removes the selected or marked images', async ({ app: page, projectDir, studio }) => {
  test.skip(!!skip, skip || '');
  test.setTimeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-remove-'));
  try {
    const subset = makeFlowersSubset(root, { perClass: 6, seed: 5, trainLines: 4, testLines: 0 });
    await createProject(page, projectDir);
    await page.getByTestId('import-images').click();
    await typePath(page, subset.images);
    await expect(page.getByTestId('library-count')).toHaveText('30 images', { timeout: 60_000 });
    const cli = cliRunner(studio.dataDir);
    const imported = await cli('import-triplets', projectDir, subset.train, '--split', 'train');
    expect(imported.code, imported.stderr).toBe(0);
    await expect(page.getByTestId('nav-triplets')).toContainText('4'); // the open tab saw the other process's import
    const used = new Set(readFileSync(subset.train, 'utf8').split(/\s+/).filter(Boolean));

    // A photo at the top level of an imported folder: the folder menu's "(top level)" shows it alone
    // (it used to mean every folder), and Remove… there takes only it.
    const loose = join(root, 'loose');
    mkdirSync(loose);
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } }).jpeg().toFile(join(loose, 'loose.jpg'));
    await page.getByTestId('import-images').click();
    await typePath(page, loose);
    await expect(page.getByTestId('library-count')).toHaveText('31 images', { timeout: 60_000 });
    await page.getByTestId('library-folder').selectOption({ label: '(top level)' });
    await expect(page.getByTestId('library-count')).toHaveText('1 of 31');
    await page.getByTestId('remove-shown').click();
    await expect(page.getByTestId('remove-names')).toHaveText('loose.jpg');
    await page.getByTestId('remove-confirm').click();
    // That folder has no image left: the filter goes back to every folder (it used to stick, the
    // menu blank and the grid saying no name matched).
    await expect(page.getByTestId('library-count')).toHaveText('30 images');
    await expect(page.getByTestId('library-folder')).toHaveValue('');

    // The daisy folder: those in triplets stay, the rest go.
    await page.getByTestId('library-folder').selectOption('daisy');
    await expect(page.getByTestId('library-count')).toHaveText('6 of 30');
    const daisies = await page.getByTestId('library-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!));
    const keptDaisies = daisies.filter((n) => used.has(n.split('/').pop()!));
    const gone = daisies.length - keptDaisies.length;
    expect(gone).toBeGreaterThan(0);
    await page.getByTestId('remove-shown').click();
    const dialog = page.getByTestId('remove-dialog');
    await expect(dialog.getByRole('heading')).toHaveText(`Remove ${gone} image${gone === 1 ? '' : 's'} from the project?`);
    if (keptDaisies.length) await expect(page.getByTestId('remove-kept')).toContainText(`${keptDaisies.length} image`);
    await expect(page.getByTestId('remove-confirm')).toBeFocused();
    await snap(page, '13-library-remove');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('library-count')).toHaveText(`${keptDaisies.length} of ${30 - gone}`);
    await expect(page.getByTestId('toast-success').last()).toContainText('Ctrl+Z brings them back');

    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('toast-success').last()).toContainText(`removal of ${gone} image`);
    // The Library has no status line: the toast is what a screen reader announces.
    await expect(page.getByTestId('toast-success').last()).toHaveAttribute('role', 'status');
    await expect(page.getByTestId('library-count')).toHaveText('6 of 30');

    // Review's history panel lists the removal with its image count and follows a redo and an undo
    // made there (they change no triplet: the panel hears the 'history' change).
    await page.getByTestId('nav-review').click();
    if ((await page.getByTestId('history-panel').count()) === 0) await page.getByTestId('toggle-history').click();
    const step = page.getByTestId('history-entry').first();
    await expect(step).toContainText('remove-images');
    await expect(step).toContainText(`${gone} image${gone === 1 ? '' : 's'}`);
    await expect(step).toHaveAttribute('data-undone', 'true');
    await page.keyboard.press('Control+Shift+z');
    await expect(step).toHaveAttribute('data-undone', 'false');
    await page.keyboard.press('Control+z');
    await expect(step).toHaveAttribute('data-undone', 'true');
    await page.getByTestId('nav-library').click();
    await expect(page.getByTestId('library-count')).toHaveText('6 of 30');

    // One image by Delete; an image a triplet uses cannot be removed.
    await page.getByTestId('library-folder').selectOption('');
    await expect(page.getByTestId('library-count')).toHaveText('30 images');
    const names = await page.getByTestId('library-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!));
    const inTriplet = names.find((n) => used.has(n.split('/').pop()!))!;
    const free = names.find((n) => !used.has(n.split('/').pop()!))!;
    await page.locator(`[data-testid="library-item"][data-name="${inTriplet}"]`).click();
    await expect(page.getByTestId('detail-remove')).toBeDisabled();
    // Filtered down to that image: the dialog says nothing can go, and offers no Remove.
    await page.getByTestId('library-search').fill(inTriplet.split('/').pop()!);
    await expect(page.getByTestId('library-count')).toHaveText('1 of 30');
    await page.getByTestId('remove-shown').click();
    await expect(page.getByTestId('remove-kept')).toContainText('Nothing to remove: triplets use this image.');
    await expect(page.getByTestId('remove-confirm')).toHaveCount(0);
    await page.getByTestId('remove-cancel').click();
    await page.getByTestId('library-search').fill('');
    await expect(page.getByTestId('library-count')).toHaveText('30 images');
    await page.locator(`[data-testid="library-item"][data-name="${free}"]`).click();
    await expect(page.getByTestId('image-detail')).toContainText(free.split('/').pop()!);
    await page.keyboard.press('Delete');
    await expect(dialog.getByRole('heading')).toHaveText('Remove 1 image from the project?');
    await expect(page.getByTestId('remove-names')).toHaveText(free);
    await page.getByTestId('remove-confirm').click();
    await expect(page.getByTestId('library-count')).toHaveText('29 images');
    await expect(page.getByTestId('image-detail')).toBeHidden();
    await expect(page.locator(`[data-testid="library-item"][data-name="${free}"]`)).toHaveCount(0);

    // Marks, as in a file manager: click, Ctrl+click one more, Shift+click a range; Esc forgets them;
    // Delete asks about the marked images (those in triplets stay).
    const items = page.getByTestId('library-item');
    await items.nth(0).click();
    await items.nth(2).click({ modifiers: ['Control'] });
    await expect(page.getByTestId('library-marked')).toHaveText(/2 images marked/);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('library-marked')).toHaveCount(0);
    await expect(page.getByTestId('image-detail')).toBeVisible();
    await page.keyboard.press('Escape'); // then the details close: the next Ctrl+click starts afresh
    await expect(page.getByTestId('image-detail')).toBeHidden();
    await items.nth(3).click({ modifiers: ['Control'] });
    await items.nth(7).click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('library-marked')).toHaveText(/5 images marked/);
    const marked = await items.evaluateAll((els) => els.slice(3, 8).map((e) => e.getAttribute('data-name')!));
    const markedFree = marked.filter((n) => !used.has(n.split('/').pop()!)).length;
    expect(markedFree, 'the seeded subset leaves some of these five in no triplet').toBeGreaterThan(0);
    // Backspace as Delete (a Mac keyboard's delete key sends it).
    await page.keyboard.press('Backspace');
    await expect(dialog.getByRole('heading')).toHaveText(`Remove ${markedFree} image${markedFree === 1 ? '' : 's'} from the project?`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('library-count')).toHaveText(`${29 - markedFree} images`);
    await expect(page.getByTestId('library-marked')).toHaveCount(0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
