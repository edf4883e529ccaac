// An image import into a new project at `dir` during which its drive fails (after 10 photos, in
// batches of 4), as drive-fails and drive-errors check it: the error it ended with, and what a
// read-only reopen finds kept.
import assert from 'node:assert/strict';
import { knownError, type AppError } from '../../src/shared/errors.js';
import { Project } from '../../src/main/project/project.js';

/** Imports `photos` into a new project at `dir`, calling `fail` midway; the import's error as the app shows it. */
export async function importWhileDriveFails(dir: string, photos: string, fail: () => void): Promise<AppError> {
  const project = Project.init(dir);
  let failed = false;
  let report: unknown;
  let met: unknown;
  try {
    report = await project.importImages(photos, {
      batchSize: 4,
      concurrency: 1,
      onProgress: (p) => {
        if (!failed && p.phase === 'images' && p.done >= 10) (fail(), (failed = true));
      },
    });
  } catch (err) {
    met = err;
  } finally {
    project.close();
  }
  assert.ok(failed, 'the drive failed during the import');
  assert.equal(report, undefined, `not finished as a success with every later photo "skipped": ${JSON.stringify(report)?.slice(0, 300)}`);
  const said = knownError(met);
  assert.ok(said, `a coded error, not a bug: ${String(met)}`);
  return said;
}

/** Images a read-only reopen of the project at `dir` finds. */
export function imagesKept(dir: string): number {
  const viewed = Project.open(dir, { readOnly: true });
  try {
    return viewed.info().images;
  } finally {
    viewed.close();
  }
}
