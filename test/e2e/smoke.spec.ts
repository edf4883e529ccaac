import { createProject, expect, snap, test, typePath } from './fixtures.js';

test('projects view: empty state, errors as toasts, create a project, help overlay, view keys', async ({ app, projectDir }) => {
  await expect(app.getByTestId('projects-empty')).toContainText('Import images');
  await expect(app.getByTestId('nav-library')).toBeDisabled();
  await snap(app, '01-projects-empty');

  // A failing request shows the main side's message in a toast.
  await app.getByTestId('open-project').click();
  await typePath(app, `${projectDir}/does-not-exist`);
  const toast = app.getByTestId('toast-error');
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('does-not-exist');

  await createProject(app, projectDir);
  await expect(app.getByTestId('library-empty')).toBeVisible();
  await snap(app, '02-library-empty');
  await app.keyboard.press('?');
  await expect(app.getByTestId('help-overlay')).toBeVisible();
  await snap(app, '03-help');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('help-overlay')).toBeHidden();

  // Number keys switch views; empty views say what to do next.
  await app.keyboard.press('3');
  await expect(app.getByTestId('triplets-no-images')).toBeVisible();
  await app.keyboard.press('4');
  await expect(app.getByTestId('train-empty')).toBeVisible();
  await snap(app, '04-train-empty');
  // The options form comes from the table of train options: a value out of range is refused in plain
  // words under its field (and not taken), advanced options stay folded until opened.
  await app.getByTestId('opt-epochs').fill('0');
  await app.getByTestId('opt-epochs').blur();
  await expect(app.getByTestId('opt-epochs-problem')).toHaveText('Epochs must be between 1 and 10000.');
  await app.getByTestId('opt-epochs').fill('24');
  await app.getByTestId('opt-epochs').blur();
  await expect(app.getByTestId('opt-epochs-problem')).toBeHidden();
  await expect(app.getByTestId('opt-seed')).toBeHidden();
  await app.getByTestId('opt-advanced').locator('summary').click();
  await expect(app.getByTestId('opt-seed')).toHaveValue('1');
  await app.keyboard.press('5');
  await expect(app.getByTestId('review-empty')).toBeVisible();
  await snap(app, '05-review-empty');
  await app.keyboard.press('1');
  await expect(app.getByTestId('current-project')).toContainText('flowers-project');
});
