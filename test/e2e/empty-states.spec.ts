// A project with nothing in it: every view says what is missing and offers the way there (no dead
// end), and none of them raises an error while it has nothing to show. Then a run trained without
// test triplets: it has no test accuracy (not 0%), and Review says there is nothing to score instead
// of "no mistakes"; and a run whose test images are all unreadable, which Review names.
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner } from '../helpers/cli.js';
import { addTestOnlyPhotos, makeFlowersSubset } from '../helpers/flowers-subset.js';
import { sharedModelsDir, skipWithoutBackbone } from '../helpers/shared.js';
import { createProject, expect, test, typePath, type Studio } from './fixtures.js';
import { openProject } from './support/small-project.js';

/** Each view of an empty project, the button its empty state offers, and the view that button opens. */
const WAYS = [
  { view: 'triplets', button: 'Go to Library', opens: 'library' },
  { view: 'train', button: 'Go to Triplets', opens: 'triplets' },
  { view: 'review', button: 'Go to Train', opens: 'train' },
  { view: 'map', button: 'Go to Library', opens: 'library' },
  { view: 'suggest', button: 'Go to Library', opens: 'library' },
  { view: 'audit', button: 'Go to Triplets', opens: 'triplets' },
  { view: 'library', button: 'Import folder…', opens: null },
] as const;

test('an empty project: each view names what is missing and leads there, without an error', async ({ app: page, projectDir }) => {
  await createProject(page, projectDir);
  for (const { view, button, opens } of WAYS) {
    await page.getByTestId(`nav-${view}`).click();
    const main = page.getByTestId(`view-${view}`);
    await expect(main).toBeVisible();
    const way = main.getByRole('button', { name: button, exact: true }).last();
    await expect(way, `${view} offers "${button}"`).toBeVisible();
    if (opens) {
      await way.click();
      await expect(page.getByTestId(`view-${opens}`)).toBeVisible();
    }
  }
  // The triplet maker of a project with no images says why its grid is empty, and leads to the Library.
  await page.getByTestId('nav-triplets').click();
  await page.getByTestId('new-triplet').click();
  await expect(page.getByTestId('maker-empty')).toContainText('No images in this project yet');
  await page.getByTestId('maker-go-library').click();
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
});

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');

/** Photos in a temporary folder for one test, removed after it. */
async function withPhotos(prefix: string, fn: (root: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  try {
    await fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs CLI commands that must succeed (the state a test starts from). */
async function cliSteps(studio: Studio, steps: string[][]): Promise<void> {
  const cli = cliRunner(studio.dataDir, { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  for (const args of steps) {
    const r = await cli(...args);
    expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
  }
}

test('a run without test triplets: no test accuracy, and Review leads to Triplets instead of "no mistakes"', async ({ app: page, projectDir, studio }) => {
  test.skip(!!skip, skip || '');
  test.setTimeout(120_000);
  await withPhotos('ts-e2e-no-test-', async (root) => {
    const subset = makeFlowersSubset(root, { perClass: 4, seed: 2, trainLines: 20, testLines: 0 });
    await cliSteps(studio, [['init', projectDir], ['import-images', projectDir, subset.images], ['import-triplets', projectDir, subset.train, '--split', 'train'], ['train', projectDir, '--epochs', '2']]);
    await openProject(page, projectDir);
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('latest-accuracy')).toHaveText('—');
    await expect(page.getByTestId('latest-no-test')).toContainText('no test triplets to score it');
    await page.getByTestId('nav-review').click();
    await expect(page.getByTestId('review-no-test')).toContainText('No test triplets');
    await expect(page.getByTestId('review-none')).toHaveCount(0);
    await page.getByTestId('review-no-test').getByRole('button', { name: 'Go to Triplets' }).click();
    await expect(page.getByTestId('view-triplets')).toBeVisible();
  });
});

test('a run that could score none of its test triplets: Review says so and names the unreadable images, not "no mistakes"', async ({ app: page, projectDir, studio }) => {
  test.skip(!!skip, skip || '');
  test.setTimeout(120_000);
  await withPhotos('ts-e2e-unscored-', async (root) => {
    const subset = makeFlowersSubset(root, { perClass: 3, seed: 5, trainLines: 20, testLines: 0 });
    const extra = addTestOnlyPhotos(root);
    await cliSteps(studio, [['init', projectDir], ['import-images', projectDir, subset.images], ['import-triplets', projectDir, subset.train, '--split', 'train'], ['import-triplets', projectDir, extra.test, '--split', 'test']]);
    for (const f of extra.files) writeFileSync(f, 'not an image any more');
    await cliSteps(studio, [['train', projectDir, '--epochs', '2']]);
    await openProject(page, projectDir);
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('latest-accuracy')).toHaveText('—');
    await expect(page.getByTestId('latest-no-test')).toContainText('none of its 2 test triplets could be scored');
    const listed = page.getByTestId('left-out-images');
    await listed.getByText('Which images (3)').click();
    for (const name of extra.names) await expect(listed, `Train names ${name}`).toContainText(name);
    await page.getByTestId('nav-review').click();
    await expect(page.getByTestId('review-none-scored')).toContainText('could not score any of the 2 active test triplets');
    await expect(page.getByTestId('review-none')).toHaveCount(0);
    await expect(page.getByTestId('review-no-test')).toHaveCount(0);
    await page.getByTestId('review-left-out').getByText('Which images (3)').click();
    await expect(page.getByTestId('review-left-out')).toContainText(extra.names[0]);
    await expect(page.getByTestId('toast-error')).toHaveCount(0);
  });
});

test('a moved photo folder: the Library marks the images; Suggest, Train, Review and the Map say the images have no features and how to get them back, instead of "no suggestions" or the same offer again', async ({ app: page, projectDir, studio }) => {
  test.skip(!!skip, skip || '');
  test.setTimeout(120_000);
  await withPhotos('ts-e2e-moved-', async (root) => {
    const subset = makeFlowersSubset(root, { perClass: 2, seed: 4, trainLines: 4, testLines: 0 });
    await cliSteps(studio, [['init', projectDir], ['import-images', projectDir, subset.images], ['import-triplets', projectDir, subset.train, '--split', 'train']]);
    renameSync(subset.images, join(root, 'moved'));
    await openProject(page, projectDir);
    await page.getByTestId('nav-suggest').click();
    await page.getByTestId('suggest-more').click();
    const state = page.getByTestId('suggest-no-features');
    await expect(state).toContainText('10 images outside test triplets have no features');
    await expect(state).toContainText('Import it again from where it is now');
    await expect(page.getByTestId('suggest-none')).toHaveCount(0);
    await state.getByRole('button', { name: 'Go to Library' }).click();
    await expect(page.getByTestId('view-library')).toBeVisible();
    // The Library still has every thumbnail, and marks each image whose file is gone.
    await expect(page.getByTestId('library-item')).toHaveCount(10);
    await expect(page.getByTestId('library-item-missing')).toHaveCount(10);
    await page.getByTestId('library-item').first().click();
    await expect(page.getByTestId('detail-missing')).toContainText('File missing');
    await page.getByTestId('detail-show-missing').click();
    await expect(page.getByTestId('map-selection-chip')).toContainText('Missing files: 10 images');
    await expect(page.getByTestId('remove-shown')).toBeVisible();
    await page.getByTestId('map-selection-clear').click();
    await expect(page.getByTestId('map-selection-chip')).toHaveCount(0);
    // Training fails naming the missing files; Train and Review say no run has finished, and why.
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('train-start')).toBeEnabled();
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('run-state')).toContainText('None of the');
    await expect(page.getByTestId('run-state')).toContainText('Import it again from where it is now');
    await expect(page.getByTestId('no-finished-run')).toContainText('once what stopped run #1 is fixed');
    await page.getByTestId('nav-review').click();
    await expect(page.getByTestId('review-no-finished')).toContainText('Run #1 failed: None of the');
    await expect(page.getByTestId('review-count')).toHaveText('');
    // The Map's "Compute features and map" used to come back to the same offer, unexplained.
    await page.getByTestId('nav-map').click();
    await page.getByTestId('map-empty').getByTestId('map-compute').click();
    await expect(page.getByTestId('map-unreadable')).toContainText('10 images have no features (their files are missing or unreadable)');
    await expect(page.getByTestId('map-empty')).toHaveCount(0);
    // The way back, from the details panel: import the folder from where it is now.
    await page.getByTestId('nav-library').click();
    await page.getByTestId('library-item').first().click();
    await page.getByTestId('detail-import-again').click();
    await typePath(page, join(root, 'moved'));
    await expect(page.getByTestId('toast-success').last()).toContainText('0 images added, 10 unchanged');
    await expect(page.getByTestId('library-item-missing')).toHaveCount(0);
    // One file gone again before any feature was computed: Suggest and the Map work with the other 9 and say so.
    const [gone] = readdirSync(join(root, 'moved'), { recursive: true }).map(String).filter((f) => f.endsWith('.jpg'));
    rmSync(join(root, 'moved', gone));
    await page.getByTestId('nav-suggest').click();
    await page.getByTestId('suggest-more').click();
    await expect(page.getByTestId('suggest-without-features')).toContainText('Not suggested: 1 image outside test triplets has no features (its file is missing or unreadable)');
    await page.getByTestId('nav-map').click();
    await expect(page.getByTestId('map-summary')).toContainText('9 images');
    await expect(page.getByTestId('map-missing')).toContainText('1 image has no features yet');
    await page.getByTestId('map-missing').getByTestId('map-compute').click();
    await expect(page.getByTestId('map-missing')).toContainText('Not on the map: 1 image has no features (its file is missing or unreadable)');
  });
});
