// Export in the app (issue 8.5): a finished run's Export… writes the ONNX model, the encodings and
// the tfjs encoder into the project's exports/run-N/ folder; the README's five-line sharp +
// onnxruntime example, run on a photo with the exported file, gives the app's encoding of it; a
// second export asks before replacing; a path outside the project that was not picked is refused.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { skipWithoutBackbone } from '../helpers/shared.js';
import { expect, snap, test } from './fixtures.js';
import { openProject, smallProject } from './support/small-project.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
test.skip(!!skip, skip || '');
test.setTimeout(180_000);

const require = createRequire(import.meta.url);

/** The README's example: sharp's linear resize to 224 × 224, then the exported model. */
async function encodeLikeReadme(model: string, photo: string): Promise<Float32Array> {
  const ort = require('onnxruntime-node');
  const sharp = require('sharp');
  const session = await ort.InferenceSession.create(model);
  const rgb = await sharp(photo).removeAlpha().toColourspace('srgb').resize(224, 224, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  const { encoding } = await session.run({ image: new ort.Tensor('float32', Float32Array.from(rgb), [1, 224, 224, 3]) });
  await session.release();
  return encoding.data as Float32Array;
}

test('Export… writes the model, encodings and encoder; the exported model encodes a photo as the app does; replacing asks first', async ({ app: page, projectDir }) => {
  const p = await smallProject(projectDir + '-p');
  await openProject(page, p.dir);
  await page.getByTestId('nav-train').click();
  const row = page.getByTestId('run-row').first();
  await row.getByTestId('run-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  const out = join(p.dir, 'exports', 'run-1');
  await expect(page.getByTestId('export-path-onnx')).toHaveValue(join(out, 'model.onnx'));
  await expect(page.getByTestId('export-path-encodings')).toHaveValue(join(out, 'encodings.csv'));
  await expect(page.getByTestId('export-path-tfjs')).toBeDisabled();
  await page.getByTestId('export-choose-tfjs').check();
  await snap(page, '50-export-dialog');
  await page.getByTestId('export-start').click();

  await expect(page.getByTestId('export-report')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('export-written-onnx')).toHaveText(join(out, 'model.onnx'));
  await expect(page.getByTestId('export-written-encodings')).toHaveText(join(out, 'encodings.csv'));
  await expect(page.getByTestId('export-written-tfjs')).toHaveText(join(out, 'encoder'));
  await expect(page.getByTestId('export-preprocessing')).toContainText('bilinear (antialias)');
  await expect(page.getByTestId('export-snippet')).toContainText(`ort.InferenceSession("${join(out, 'model.onnx')}")`);
  await expect(page.getByTestId('toast-success')).toContainText('Run #1 exported');
  await snap(page, '51-export-done');
  expect(readdirSync(out).sort()).toEqual(['encoder', 'encodings.csv', 'model.onnx']);
  expect(existsSync(join(out, 'encoder', 'encoder.json'))).toBe(true);

  // Outside the app: the README's example on a photo gives the encoding the app wrote for it.
  const [header, first] = readFileSync(join(out, 'encodings.csv'), 'utf8').split('\n');
  const dim = header.split(',').length - 1;
  const [name, ...values] = first.split(',');
  const photo = join(dirname(p.train), 'images', name);
  const enc = await encodeLikeReadme(join(out, 'model.onnx'), photo);
  expect(enc.length).toBe(dim);
  const maxDiff = Math.max(...values.map((v, j) => Math.abs(Number(v) - enc[j])));
  expect(maxDiff).toBeLessThan(1e-4);

  // Escape closes it: the form that had focus is gone, and focus came back to the dialog, not the page.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Again, from the run card's Export…: the existing files are named and replaced only after Replace.
  const before = readFileSync(join(out, 'model.onnx')).length;
  await page.getByTestId('export-latest').click();
  await expect(page.getByRole('heading', { name: 'Export run #1' })).toBeVisible();
  await page.getByTestId('export-start').click();
  const ask = page.getByTestId('export-replace-ask');
  await expect(ask).toContainText('These already exist and would be replaced:');
  await expect(ask).toContainText(join(out, 'model.onnx'));
  await expect(ask).toContainText(join(out, 'encodings.csv'));
  await expect(page.getByTestId('export-report')).toHaveCount(0);
  // NPY instead: the encodings go to new files, so the question is asked again about model.onnx alone.
  await page.getByTestId('export-format').selectOption('npy');
  await expect(page.getByTestId('export-path-encodings')).toHaveValue(join(out, 'encodings.npy'));
  await expect(ask).toHaveCount(0);
  await page.getByTestId('export-start').click();
  await expect(ask).toContainText('This already exists and would be replaced:');
  await page.getByTestId('export-replace').click();
  await expect(page.getByTestId('export-written-encodings')).toHaveText(`${join(out, 'encodings.npy')} + ${join(out, 'encodings.names.txt')}`);
  expect(readFileSync(join(out, 'model.onnx')).length).toBe(before);
  await page.getByTestId('export-close').click();

  // A path typed outside the project is confirmed as the user's pick before anything is written, as
  // the triplets export does (browser mode records it; the desktop app opens its own dialog on it).
  await row.getByTestId('run-export').click();
  await page.getByTestId('export-choose-encodings').uncheck();
  const elsewhere = join(projectDir + '-elsewhere', 'model.onnx');
  await page.getByTestId('export-path-onnx').fill(elsewhere);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-report')).toBeVisible({ timeout: 60_000 });
  expect(existsSync(elsewhere)).toBe(true);
  await page.getByTestId('export-close').click();

  // A target the export refuses is said at once, not after "Replace" (the database exists).
  await row.getByTestId('run-export').click();
  await page.getByTestId('export-choose-encodings').uncheck();
  await page.getByTestId('export-path-onnx').fill(join(p.dir, 'project.sqlite'));
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toContainText('is the project database (every label and run); an export never writes there');
  await expect(page.getByTestId('export-replace-ask')).toHaveCount(0);
});
