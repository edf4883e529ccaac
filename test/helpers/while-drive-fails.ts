// What drive-fails and drive-errors both do to a project whose drive fails (two kinds of failing
// drive, test/helpers/failing-drive.ts): an edit in the app when it fails, and an image import during
// which it fails; each returns what the app showed, for the test to check the words of its kind.
import assert from 'node:assert/strict';
import { knownError, type AppError } from '../../src/shared/errors.js';
import type { ProjectInfo } from '../../src/shared/types.js';
import { Project } from '../../src/main/project/project.js';
import { StudioService } from '../../src/main/project/service.js';
import { cliRunner } from './cli.js';

export interface EditWhenDriveFails {
  /** The refused edit's error as the app shows it. */
  said: AppError;
  /** project:changed's reason for reopening read-only, if it came at once. */
  reopenedWhy: string | undefined;
  info: ProjectInfo | null;
  /** Triplet ids listed afterwards, and the one saved before the failure. */
  listed: number[];
  saved: number;
  /** The error of one more edit (a swap) after the reopen. */
  next: unknown;
}

/**
 * A new project at `dir` with `photos` imported and one triplet saved, open in a service; then `fail`
 * and an attempt to save a second triplet, then a swap of the first.
 */
export async function editWhenDriveFails(dir: string, dataDir: string, photos: string, fail: () => void): Promise<EditWhenDriveFails> {
  Project.init(dir).close();
  const events: { name: string; payload: unknown }[] = [];
  const service = new StudioService({ dataDir, emit: (name, payload) => events.push({ name, payload }) });
  try {
    service.openProject({ dir });
    await service.jobs.wait(service.importImages({ folder: photos }).jobId);
    const ids = service.listImages({ offset: 0, limit: 6 }).items.map((i) => i.id);
    const saved = service.createTriplet({ split: 'train', anchorId: ids[0], positiveId: ids[1], negativeId: ids[2] });
    events.length = 0;

    fail();
    let met: unknown;
    try {
      service.createTriplet({ split: 'train', anchorId: ids[3], positiveId: ids[4], negativeId: ids[5] });
    } catch (err) {
      met = err;
    }
    const said = knownError(met);
    assert.ok(said, `a coded error the app shows as it is, not "disk I/O error" logged as a bug: ${String(met)}`);
    await new Promise((r) => setImmediate(r));
    const changed = events.find((e) => e.name === 'project:changed') as { payload: { what: string; readOnly?: string } } | undefined;
    assert.equal(changed?.payload.what, 'project', 'the views are told at once');
    let next: unknown = null;
    try {
      service.editTriplet({ id: saved.id, edit: { kind: 'swap' } });
    } catch (err) {
      next = err;
    }
    return {
      said,
      reopenedWhy: changed?.payload.readOnly,
      info: service.projectInfo(),
      listed: service.listTriplets({ offset: 0, limit: 10 }).items.map((x) => x.id),
      saved: saved.id,
      next,
    };
  } finally {
    await service.dispose();
  }
}

/**
 * Imports `photos` into a new project at `dir`, calling `fail` midway: the import's error as the app
 * shows it, and how many images it says it kept (checked: a few batches, and what a reopen finds).
 */
export async function importWhileDriveFails(dir: string, photos: string, fail: () => void): Promise<{ said: AppError; added: number }> {
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
  const added = (said.details as { added: number }).added;
  assert.match(said.message, new RegExp(`so the import stopped\\. The ${added} new images imported before it stay in the project\\.`));
  assert.ok(added >= 8 && added < 30, `the batches written before the failure: ${added}`);
  assert.equal(imagesKept(dir), added, 'the count said is the count kept');
  return { said, added };
}

/** Images a read-only reopen of the project at `dir` finds. */
function imagesKept(dir: string): number {
  const viewed = Project.open(dir, { readOnly: true });
  try {
    return viewed.info().images;
  } finally {
    viewed.close();
  }
}

/** A project at `dir` made by the CLI (photos and two train triplets), then `fail`: the CLI to go on with. */
export async function cliProjectWhenDriveFails(dir: string, dataDir: string, photos: { images: string; train: string }, fail: () => void): Promise<ReturnType<typeof cliRunner>> {
  const cli = cliRunner(dataDir);
  for (const args of [['init', dir], ['import-images', dir, photos.images], ['import-triplets', dir, photos.train, '--split', 'train']]) {
    assert.equal((await cli(...args)).code, 0, args.join(' '));
  }
  fail();
  return cli;
}
