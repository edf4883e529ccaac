// Focus never falls to the page (accessibility review): a view opened by its number key focuses its
// heading, so a screen reader says where the user is; a focused button that an undo makes busy keeps
// the focus (aria-disabled); a focused control disabled (Train while a run starts) hands it to the
// view's heading, not to the page, where Tab would start from the top.
import type { Page } from '@playwright/test';
import { skipWithoutBackbone } from '../helpers/shared.js';
import { expect, test } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');
test.setTimeout(180_000);

/** The focused element, as tag and text (or "page" when focus is on nothing). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? 'page' : `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 40)}`;
  });

test('focus goes to the view, never to the page', async ({ app: page, projectDir }) => {
  const p = await smallProject(projectDir + '-p');
  await openProject(page, p.dir);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('3');
  await expect.poll(() => focused(page)).toBe('h1:Triplets');

  // A focused row deleted by its key: focus stays in the view (on the row now showing the next triplet, or the heading).
  await page.getByTestId('triplet-row').first().click();
  await expect.poll(() => focused(page)).toMatch(/^div:#1 /);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('status-line')).toContainText('Deleted');
  await expect.poll(() => focused(page)).toMatch(/^(div:#2 |h1:Triplets)/);

  // Review: the verdict button pressed with Enter keeps the focus through the undo.
  await page.keyboard.press('5');
  await expect.poll(() => focused(page)).toBe('h1:Review');
  await page.getByTestId('verdict-swap').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-line')).toContainText('Swapped');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('status-line')).toContainText('Undone');
  await expect.poll(() => focused(page)).toMatch(/^button:S\s+Labels wrong/);

  // Train pressed with Enter is disabled while the run starts: focus goes to the heading.
  await page.keyboard.press('4');
  await page.getByTestId('train-start').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect.poll(() => focused(page)).toBe('h1:Train');
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 120_000 }); // the short run ends
});
