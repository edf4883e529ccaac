// A project folder renamed in the file manager while the app has it open. Before, the app went on
// as if nothing happened (the open store is the same file) and a run that finished wrote its model
// to a new folder at the old path. Now the next request closes the project and says why, once.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { skipWithoutBackbone } from '../helpers/shared.js';
import { expect, test, typePath } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');

test('a project folder renamed while open: the next view closes it and says why once; Projects shows, the recent list follows', async ({ app: page, projectDir }) => {
  const p = await smallProject(join(projectDir, 'holiday'));
  await openProject(page, p.dir);
  renameSync(p.dir, `${p.dir}-2025`);

  await page.keyboard.press('3'); // the Triplets view loads its list and counts: several requests
  const toast = page.getByTestId('toast-error');
  await expect(toast).toHaveCount(1);
  await expect(toast).toContainText(`The project folder ${p.dir} was moved, renamed or deleted, or its drive was disconnected, while it was open, so the app closed it. Open it from where it is now (or reconnect its drive and open it again).`);
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toHaveText('No project open');
  await expect(page.getByTestId('nav-projects')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('recent-item')).toHaveCount(0);
  expect(existsSync(p.dir), 'nothing written at the old path').toBe(false);

  await page.getByTestId('open-project').click();
  await typePath(page, `${p.dir}-2025`);
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('library-count')).toContainText('30');
});

test('renamed while the window was in the background: coming back to the window asks, and says so without a click', async ({ app: page, projectDir }) => {
  // The page's requests, seen on their way out (the socket itself is the real one).
  const asked: string[] = [];
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      asked.push(String((JSON.parse(String(m)) as { name?: string }).name));
      server.send(m);
    });
  });
  await page.reload();
  const p = await smallProject(join(projectDir, 'garden'));
  await openProject(page, p.dir);
  renameSync(p.dir, `${p.dir}-old`);
  asked.length = 0;

  await page.evaluate(() => window.dispatchEvent(new Event('focus'))); // what the window gets when the user comes back
  await expect.poll(() => asked).toContain('projectInfo');
  const toast = page.getByTestId('toast-error');
  await expect(toast).toHaveCount(1);
  await expect(toast).toContainText(`The project folder ${p.dir} was moved, renamed or deleted`);
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toHaveText('No project open');
});
