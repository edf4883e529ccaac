// A new project with nothing in it: every view says what is missing and offers the way there (no
// dead end), and none of them raises an error while it has nothing to show.
import { createProject, expect, test } from './fixtures.js';

/** Each view of an empty project, the button its empty state offers, and the view that button opens. */
const WAYS = [
  { view: 'triplets', button: 'Import file…', opens: null },
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
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
});
