import { createProject, expect, snap, test } from './fixtures.js';

test('projects view: empty state, create a project, help overlay', async ({ app, projectDir }) => {
  await expect(app.getByTestId('projects-empty')).toContainText('Import images');
  await snap(app, '01-projects-empty');
  await createProject(app, projectDir);
  await expect(app.getByTestId('library-empty')).toBeVisible();
  await snap(app, '02-library-empty');
  await app.keyboard.press('?');
  await expect(app.getByTestId('help-overlay')).toBeVisible();
  await snap(app, '03-help');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('help-overlay')).toBeHidden();
});
