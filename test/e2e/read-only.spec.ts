// A project on a read-only drive (a mounted backup, a colleague's share): it opens for viewing, the
// sidebar says "Read-only" and why, and the views that need features say they cannot be computed
// there instead of "their files are missing" with a way back that cannot work (import the folder
// again) or a "Compute" button that does nothing. A read-only tmpfs stands in for the drive
// (mounting needs root, as CI runs; elsewhere the test skips saying so).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from '../helpers/cli.js';
import { makeFlowersSubset } from '../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutShared } from '../helpers/shared.js';
import { failDrive, failErringDisk, mountErringDisk, mountExt4, unmountDrive, unmountErringDisk } from '../helpers/failing-drive.js';
import { mountTmpfs, remountReadOnly, unmount } from '../helpers/tmpfs.js';
import type { Page } from '@playwright/test';
import { expect, test, typePath } from './fixtures.js';

/** A project on `drive` made by the CLI: 10 flower photos imported, 4 train triplets, no features. */
async function projectOn(drive: string, root: string, dataDir: string) {
  const data = makeFlowersSubset(join(root, 'photos'), { perClass: 2, seed: 5, trainLines: 4, testLines: 2 });
  const dir = join(drive, 'project');
  const cli = cliRunner(dataDir, { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  for (const args of [['init', dir], ['import-images', dir, data.images], ['import-triplets', dir, data.train, '--split', 'train']]) {
    expect((await cli(...args)).code).toBe(0);
  }
  return { dir, cli };
}

async function openIn(page: Page, dir: string): Promise<void> {
  await page.getByTestId('open-project').click();
  await typePath(page, dir);
  await expect(page.getByTestId('view-library')).toBeVisible();
}

test('a project on a read-only drive opens for viewing and says so; Map and Suggest say features cannot be computed there', async ({ app: page, studio }) => {
  const skip = skipWithoutShared();
  test.skip(!!skip, skip || '');
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-read-only-'));
  const drive = join(root, 'drive');
  mkdirSync(drive);
  const cannot = mountTmpfs(drive, '16m');
  test.skip(!!cannot, cannot || '');
  try {
    // Images imported, no features computed yet, then the drive turns read-only.
    const { dir, cli } = await projectOn(drive, root, studio.dataDir);
    remountReadOnly(drive);
    await openIn(page, dir);
    await expect(page.getByTestId('read-only-badge')).toHaveText('Read-only');
    await expect(page.getByTestId('toast-info').filter({ hasText: 'Opened read-only' })).toContainText('copy the folder somewhere you can write');

    // What would change the project is disabled, saying why.
    await expect(page.getByTestId('import-images')).toBeDisabled();
    await page.getByTestId('library-item').first().click();
    await expect(page.getByTestId('detail-remove')).toBeDisabled();
    await expect(page.getByTestId('detail-remove')).toHaveAttribute('title', /open for viewing and export only/);
    await page.getByTestId('nav-triplets').click();
    await expect(page.getByTestId('import-triplets')).toBeDisabled();
    await expect(page.getByTestId('import-triplets')).toHaveAttribute('title', /open for viewing and export only/);
    await expect(page.getByTestId('export-triplets')).toBeEnabled();
    await expect(page.getByTestId('new-triplet')).toBeDisabled();
    // The smaller edits too: each button is disabled with the reason, and its key says it at once
    // (one toast, no request the main side would refuse), leaving the triplet as it was.
    await page.getByTestId('triplet-row').first().click();
    for (const id of ['triplet-swap', 'triplet-move', 'triplet-exclude', 'triplet-delete', 'replace-anchor']) {
      await expect(page.getByTestId(id)).toBeDisabled();
      await expect(page.getByTestId(id)).toHaveAttribute('title', /open for viewing and export only/);
    }
    const listed = async () => (await cli('triplets', dir, '--json')).stdout;
    const before = await listed();
    await page.keyboard.press('s');
    await expect(page.getByTestId('toast-info').filter({ hasText: 'Read-only' }).filter({ hasNotText: 'Opened' })).toContainText('open for viewing and export only');
    await page.keyboard.press('Control+z');
    expect(await listed()).toBe(before);
    // Checked after the CLI's listing (about a second), so an error toast from the Ctrl+Z has had time to show.
    await expect(page.getByTestId('toast-error')).toHaveCount(0);
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('train-start')).toBeDisabled();

    await page.getByTestId('nav-map').click();
    const map = page.getByTestId('map-read-only');
    await expect(map).toContainText('10 images have no features (not computed yet, or their files are missing)');
    await expect(map).toContainText('The project is open read-only here, so features cannot be computed and saved');
    await expect(page.getByTestId('map-compute')).toHaveCount(0);

    await page.getByTestId('nav-suggest').click();
    const suggest = page.getByTestId('suggest-no-features');
    await expect(suggest).toContainText('not computed yet');
    await expect(suggest).toContainText('open read-only here');
    await expect(suggest).not.toContainText('Import it again');
    await expect(page.getByTestId('toast-error')).toHaveCount(0);
  } finally {
    unmount(drive);
    rmSync(root, { recursive: true, force: true });
  }
});

/**
 * The two ways a drive fails under an open project: ext4 turns read-only after an error (the mount
 * still says "rw"), or the drive stays writable and answers writes with I/O errors (no journal).
 */
const FAILURES = [
  { kind: 'turns read-only', mount: (d: string) => mountExt4(`${d}.img`, d), fail: failDrive, unmount: (d: string) => unmountDrive(d, `${d}.img`), said: 'cannot be written any more', badge: 'cannot be written here' },
  { kind: 'answers with I/O errors', mount: mountErringDisk, fail: failErringDisk, unmount: unmountErringDisk, said: 'reported an error (input/output error)', badge: 'reported an error when it was written' },
];

for (const failure of FAILURES) {
  test(`the drive of an open project ${failure.kind}: the edit that met it says so, and the app turns read-only at once`, async ({ app: page, studio }) => {
    const skip = skipWithoutShared();
    test.skip(!!skip, skip || '');
    const root = mkdtempSync(join(tmpdir(), 'ts-e2e-drive-fails-'));
    const drive = join(root, 'drive');
    mkdirSync(drive);
    const cannot = failure.mount(drive);
    test.skip(!!cannot, cannot || '');
    try {
      const { dir } = await projectOn(drive, root, studio.dataDir);
      await openIn(page, dir);
      await page.getByTestId('nav-triplets').click();
      await page.getByTestId('triplet-row').first().click();
      await expect(page.getByTestId('triplet-swap')).toBeEnabled();
      await expect(page.getByTestId('read-only-badge')).toHaveCount(0);

      failure.fail(drive);
      await page.getByTestId('triplet-swap').click();
      // Said as what happened, not "disk I/O error — this looks like a bug".
      await expect(page.getByTestId('toast-error').filter({ hasText: 'Project now read-only' })).toContainText(failure.said);
      await expect(page.getByTestId('toast-error').filter({ hasText: 'bug' })).toHaveCount(0);
      await expect(page.getByTestId('read-only-badge')).toHaveText('Read-only');
      await expect(page.getByTestId('read-only-badge')).toHaveAttribute('title', new RegExp(failure.badge));
      await expect(page.getByTestId('triplet-swap')).toBeDisabled();
      await expect(page.getByTestId('triplet-row')).toHaveCount(4);
    } finally {
      failure.unmount(drive);
      rmSync(root, { recursive: true, force: true });
    }
  });
}
