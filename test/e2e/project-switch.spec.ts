// Opening another project starts the Library and the Triplets list over: the last project's name
// filter, folder and image filter mean nothing there. The second project is a copy of the first, so
// its image ids and folders are the same: a filter kept by mistake would still "work" and show a part
// of the project as if it were all of it.
import { expect, test } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';
import { skipWithoutBackbone } from '../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');

test("another project opens without the last one's filters", async ({ app: page, projectDir }) => {
  test.skip(!!skip, skip || '');
  const first = await smallProject(projectDir + '-a');
  const second = await smallProject(projectDir + '-b');
  await openProject(page, first.dir);
  await expect(page.getByTestId('library-count')).toHaveText('30 images');
  await page.getByTestId('library-folder').selectOption('daisy');
  await page.getByTestId('library-search').fill('1');
  await expect(page.getByTestId('library-count')).toContainText(' of 30');

  // Triplets filtered to one image, from its "Used in N triplets".
  await page.getByTestId('library-search').fill('');
  await page.getByTestId('library-item').first().click();
  await page.getByTestId('image-triplets-link').click();
  await expect(page.getByTestId('filter-image')).toBeVisible();
  await page.getByTestId('filter-split-train').click();

  await page.getByTestId('nav-projects').click();
  await openProject(page, second.dir);
  await expect(page.getByTestId('library-count')).toHaveText('30 images');
  await expect(page.getByTestId('library-search')).toHaveValue('');
  await expect(page.getByTestId('library-folder')).toHaveValue('');
  await page.getByTestId('nav-triplets').click();
  await expect(page.getByTestId('filter-image')).toHaveCount(0);
  await expect(page.getByTestId('triplet-position')).toHaveText('1 of 120');
});
