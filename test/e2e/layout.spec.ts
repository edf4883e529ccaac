// Layout from 1024 × 700 up (console errors fail): in every view, with its busiest state shown (a
// selected image, a selected triplet, the maker, a review), no two visible buttons overlap, no
// button's content is clipped, nothing sticks out of the window, no view header grows tall, and neither the page nor a
// scrolling area in it (from 1280 px) scrolls sideways (scrollWidth ≤ clientWidth) at 1024, 1280 and 1440 px.
// Each state checked is also saved as test-results/screenshots/<state>-<width>.png for people to look
// at (outside CI, or with TRIPLET_STUDIO_SNAPSHOTS=1).
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { repoRoot, skipWithoutBackbone } from '../helpers/shared.js';
import { expect, test } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');
test.setTimeout(240_000);

interface Problem {
  what: string;
}

/** Every layout problem on the page now, described by the buttons' labels. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    // From 1280 px, nor any scrolling area inside the view (the old triplet table scrolled sideways at
    // 1440); at 1024 a wide table may scroll inside its card.
    for (const el of innerWidth >= 1280 ? document.querySelectorAll<HTMLElement>('main *') : []) {
      const s = getComputedStyle(el);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    // A header's title keeps its width: controls that do not fit go below it (the Map's summary was
    // once squeezed into a column one word wide, the header 300 px tall).
    for (const h of document.querySelectorAll<HTMLElement>('main .view-header')) {
      const height = h.getBoundingClientRect().height;
      if (height > 160) out.push(`the ${h.querySelector('h1')?.textContent ?? '?'} header is ${Math.round(height)} px tall`);
    }
    const label = (b: Element) => (b.getAttribute('aria-label') || b.textContent || b.getAttribute('data-testid') || '?').trim().replace(/\s+/g, ' ').slice(0, 40);
    const visible = (b: Element) => {
      const r = b.getBoundingClientRect();
      const s = getComputedStyle(b);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    // Buttons in the view and the sidebar; cells of the windowed grids are tiles, checked for overlap too.
    // With a modal open (the viewer, a dialog), only its own buttons can be reached: those behind it do not count.
    const modal = document.querySelector('[role="dialog"][aria-modal="true"]');
    const buttons = [...(modal ?? document).querySelectorAll(modal ? 'button' : 'main button, nav button, [role="dialog"] button')].filter(visible);
    const rects = buttons.map((b) => b.getBoundingClientRect());
    for (let i = 0; i < buttons.length; i++) {
      const r = rects[i];
      // Inside the scrolling area it may be scrolled out of view: only what is on screen counts.
      const onScreen = r.bottom > 0 && r.top < innerHeight;
      if (!onScreen) continue;
      if (r.right > innerWidth + 0.5 || r.left < -0.5) out.push(`"${label(buttons[i])}" sticks out of the window (${Math.round(r.left)}–${Math.round(r.right)})`);
      const b = buttons[i] as HTMLElement;
      if (b.scrollWidth > b.clientWidth + 1) out.push(`"${label(b)}" clips its content (${b.scrollWidth} > ${b.clientWidth})`);
      for (let j = i + 1; j < buttons.length; j++) {
        if (buttons[i].contains(buttons[j]) || buttons[j].contains(buttons[i])) continue;
        const q = rects[j];
        const overlap = Math.min(r.right, q.right) - Math.max(r.left, q.left) > 1 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 1;
        if (overlap) out.push(`"${label(buttons[i])}" overlaps "${label(buttons[j])}"`);
      }
    }
    return out;
  });
}

/**
 * A picture of the page at test-results/screenshots/<name>.png, for people to look at (nothing
 * compares them); CI skips them unless TRIPLET_STUDIO_SNAPSHOTS=1, as fixtures.ts `snap` does.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CI && process.env.TRIPLET_STUDIO_SNAPSHOTS !== '1') return;
  await page.waitForTimeout(300); // thumbnails decode
  await page.screenshot({ path: join(repoRoot, 'test-results', 'screenshots', `${name}.png`) });
}

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

for (const size of SIZES) {
  test(`no overlaps, clipping or sideways scrolling at ${size.width}×${size.height}`, async ({ app: page, projectDir }) => {
    await page.setViewportSize(size);
    await openProject(page, (await smallProject(projectDir + '-p')).dir);
    const found: Problem[] = [];
    /** Checks the layout now, and keeps a picture of it (`shot` name) for people to look at. */
    const check = async (where: string, shot: string) => {
      await page.waitForTimeout(150);
      for (const what of await layoutProblems(page)) found.push({ what: `${where}: ${what}` });
      await screenshot(page, `${shot}-${size.width}`);
    };
    await page.getByTestId('library-item').first().click();
    await expect(page.getByTestId('image-detail')).toBeVisible();
    await check('Library with details', 'library');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('viewer-image')).toBeVisible();
    await check('Full-size viewer', 'library-viewer');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-triplets').click();
    await page.getByTestId('triplet-row').first().click();
    await check('Triplets with a triplet selected', 'triplets');
    await page.getByTestId('new-triplet').click();
    await expect(page.getByTestId('maker-search')).toBeVisible();
    await check('Triplet maker', 'triplets-maker');
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('triplet-row').first().click();
    await page.getByTestId('replace-negative').click();
    await check('Replacing an image', 'triplets-replace');
    await page.getByTestId('replace-cancel').click();
    for (const view of ['projects', 'train', 'review', 'map', 'suggest', 'audit']) {
      await page.getByTestId(`nav-${view}`).click();
      await expect(page.getByTestId(`view-${view}`)).toBeVisible();
      if (view === 'review') await expect(page.getByTestId('verdict-keep')).toBeVisible();
      if (view === 'map') await expect(page.getByTestId('map-summary')).toContainText('images ·');
      // 29 of the 30 photos are in test triplets: the empty state names that cause, not "every pairing is labelled".
      if (view === 'suggest') await expect(page.getByTestId('suggest-none')).toContainText('Only 1 image is outside test triplets, and a suggestion needs 3');
      await check(view, view);
    }
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await check('Help', 'help');
    await page.keyboard.press('Escape');
    // The Review images stay large enough to judge (the issue saw 60 px at 1024).
    await page.getByTestId('nav-review').click();
    const w = await page.getByTestId('review-frame-anchor').locator('img').evaluate((img) => img.getBoundingClientRect().width);
    expect.soft(found.map((f) => f.what)).toEqual([]);
    expect(w, 'review image width').toBeGreaterThanOrEqual(size.width <= 1024 ? 140 : 200);
  });
}
