// Opening or closing a project, or training, while a job the user started runs: the app asks whether to stop the
// job (naming it, saying what stopping keeps), keeps it on Escape, and on "Stop and …" stops it,
// waits for it to end and goes on — no dead-end "cancel it first" toast.
import { join } from 'node:path';
import { skipWithoutBackbone } from '../helpers/shared.js';
import { expect, snap, test, typePath } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');
test.setTimeout(180_000);

test('a running audit: closing, training or opening another project asks first, Escape keeps it, "Stop and …" stops it and goes on', async ({ app: page, projectDir }) => {
  const first = await smallProject(join(projectDir, 'first'));
  const second = await smallProject(join(projectDir, 'second'));
  await openProject(page, first.dir);

  const startAudit = async () => {
    await page.keyboard.press('8');
    await page.getByTestId('audit-run').click();
    await expect(page.getByTestId('sidebar-jobs')).toContainText('Auditing labels');
    await page.keyboard.press('1');
  };
  const dialog = page.getByTestId('confirm-dialog');

  // Close: asked, and Escape (the safe answer) keeps the audit and the project.
  await startAudit();
  await page.getByTestId('close-project').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Auditing labels is still running');
  await expect(page.getByTestId('confirm-text')).toHaveText('Closing the project stops it first. What it has not finished is lost; you can start it again later.');
  await expect(page.getByTestId('confirm-cancel')).toBeFocused();
  await expect(page.getByTestId('confirm-cancel')).toHaveText('Keep auditing labels');
  await snap(page, '95-stop-job');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('current-project')).toContainText('first');
  await expect(page.getByTestId('sidebar-jobs')).toContainText('Auditing labels');
  await expect(page.getByTestId('toast-error')).toHaveCount(0);

  // An error toast meanwhile stays above the floating job bar: its Cancel is never covered.
  await page.getByTestId('open-project').click();
  await typePath(page, join(projectDir, 'not-a-project'));
  const toast = page.getByTestId('toast-error');
  await expect(toast).toContainText('is not a Triplet Studio project');
  const [toastBox, barBox] = [await toast.boundingBox(), await page.getByTestId('global-job-progress').boundingBox()];
  expect(toastBox!.y + toastBox!.height, 'the toast ends above the job bar').toBeLessThanOrEqual(barBox!.y);
  await page.getByTestId('global-job-cancel').click({ trial: true }); // fails when something covers it
  await toast.getByRole('button', { name: 'Dismiss' }).click();

  // Train asks the same way (one heavy job at a time); "Keep auditing labels" keeps the audit.
  await page.keyboard.press('4');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('confirm-text')).toContainText('Training stops it first.');
  await page.getByTestId('confirm-cancel').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('sidebar-jobs')).toContainText('Auditing labels');
  await expect(page.getByTestId('sidebar-jobs')).not.toContainText('Training');
  await page.keyboard.press('1');

  // Open another: "Stop and open" stops the audit, waits for it, and opens the other project.
  await page.getByTestId('open-project').click();
  await typePath(page, second.dir);
  await expect(page.getByTestId('confirm-text')).toContainText('Opening second stops it first.');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toContainText('second');
  await expect(page.getByTestId('sidebar-jobs').filter({ hasText: 'Auditing labels' })).toHaveCount(0);
  await expect(page.getByTestId('toast-error')).toHaveCount(0);

  // Close while an audit of the second project runs: "Stop and close".
  await startAudit();
  await page.getByTestId('close-project').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('projects-empty')).toBeVisible();
  await expect(page.getByTestId('sidebar-jobs').filter({ hasText: 'Auditing labels' })).toHaveCount(0);
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
});

test('File › Open Recent (the desktop menu) opens through the window: it asks before stopping a running job, and a folder gone is said', async ({ app: page, projectDir }) => {
  const first = await smallProject(join(projectDir, 'first'));
  const second = await smallProject(join(projectDir, 'second'));
  // The desktop shell sends the menu's choice as a `menu:command` event; here it comes down the socket.
  let toPage: ((msg: string) => void) | null = null;
  await page.routeWebSocket(/\/ws/, (ws) => {
    ws.connectToServer();
    toPage = (msg) => ws.send(msg);
  });
  await page.reload();
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await expect.poll(() => toPage !== null).toBe(true);
  const openRecent = (dir: string) => toPage!(JSON.stringify({ t: 'evt', name: 'menu:command', payload: { command: 'open-recent', dir } }));

  openRecent(first.dir);
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toContainText('first');
  await page.keyboard.press('8');
  await page.getByTestId('audit-run').click();
  await expect(page.getByTestId('sidebar-jobs')).toContainText('Auditing labels');

  // From another view while the audit runs: the Projects view shows and asks; Escape keeps both.
  openRecent(second.dir);
  await expect(page.getByTestId('confirm-text')).toHaveText('Opening second stops it first. What it has not finished is lost; you can start it again later.');
  await expect(page.getByTestId('view-projects')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('current-project')).toContainText('first');
  await expect(page.getByTestId('sidebar-jobs')).toContainText('Auditing labels');

  // Again, "Stop and open": the audit stops and the other project opens.
  openRecent(second.dir);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('view-library')).toBeVisible();
  await expect(page.getByTestId('sidebar-project')).toContainText('second');
  await expect(page.getByTestId('sidebar-jobs').filter({ hasText: 'Auditing labels' })).toHaveCount(0);
  await expect(page.getByTestId('toast-error')).toHaveCount(0);

  // A recent folder that is no longer a project: one error toast naming it, the open project kept.
  openRecent(join(projectDir, 'gone'));
  await expect(page.getByTestId('toast-error')).toContainText('Could not open the project');
  await expect(page.getByTestId('sidebar-project')).toContainText('second');
});
