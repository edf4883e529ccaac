// A project folder moved, renamed or deleted while the app has it open: the open store still
// answers (same file), so without a check the app went on as if nothing happened and a run that
// finished wrote its model to a new models/ folder at the old path, outside the project (found by
// exploring in the browser). Now the next request closes the project and says why, a running job
// stops, and a model is never written where the project no longer is.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TrainOptions } from '../../../src/shared/types.js';
import sharp from 'sharp';
import { thumbRelPath } from '../../../src/main/images/decode.js';
import { saveModelFolder } from '../../../src/main/project/model-files.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { mountTmpfs, unmount } from '../../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-moved-open-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a project folder renamed while open: the next request closes it and says why (NO_PROJECT), its job is stopped, views are told', async () => {
  const dir = join(root, 'flowers');
  Project.init(dir).close();
  const events: unknown[] = [];
  const service = new StudioService({ dataDir: join(root, 'data'), emit: (name, payload) => events.push({ name, payload }) });
  try {
    service.openProject({ dir });
    assert.equal(service.projectInfo()?.dir, dir);
    const untilAborted = (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const job = service.jobs.start('train', (ctx) => untilAborted(ctx.signal));
    events.length = 0;

    renameSync(dir, `${dir}-moved`);
    const why = { code: 'NO_PROJECT', message: `The project folder ${dir} was moved, renamed or deleted, or its drive was disconnected, while it was open, so the app closed it. Open it from where it is now (or reconnect its drive and open it again).` };
    assert.throws(() => service.listFolders(), why);
    assert.deepEqual(events, [{ name: 'project:changed', payload: { what: 'project', closed: why.message } }], 'the views are told, with why');
    await assert.rejects(service.jobs.wait(job), { name: 'AbortError' });
    assert.equal(service.projectInfo(), null);
    // The other requests of the same burst (a view loads several lists) say the same.
    assert.throws(() => service.listImages({ offset: 0, limit: 10 }), why);
    assert.equal(existsSync(dir), false, 'nothing was written at the old path');
    assert.deepEqual(service.recentProjects(), [], 'the old path is not offered as a project');

    // Opened from its new place, it is the same project.
    service.openProject({ dir: `${dir}-moved` });
    assert.deepEqual(service.listFolders(), []);
    service.closeProject();
    assert.throws(() => service.listFolders(), { code: 'NO_PROJECT', message: 'No project is open: create or open one first.' });
  } finally {
    await service.dispose();
  }
});

test('projectInfo (asked when the window comes back to the front) notices the move as any request does', async () => {
  const dir = join(root, 'info');
  Project.init(dir).close();
  const service = new StudioService({ dataDir: join(root, 'data-info'), emit: () => {} });
  try {
    service.openProject({ dir });
    renameSync(dir, `${dir}-moved`);
    assert.throws(() => service.projectInfo(), { code: 'NO_PROJECT', message: /^The project folder .* was moved, renamed or deleted, or its drive was disconnected, while it was open/ });
    assert.equal(service.projectInfo(), null, 'then: no project open');
  } finally {
    await service.dispose();
  }
});

test('a folder replaced by another project at the same path is not taken for the open one', () => {
  const dir = join(root, 'swap');
  const p = Project.init(dir);
  assert.equal(p.inPlace(), true);
  renameSync(dir, `${dir}-old`);
  Project.init(dir).close(); // a new project where the open one was
  assert.equal(p.inPlace(), false);
  p.close();
});

test("a run's model is never written where the project no longer is", async () => {
  const gone = join(root, 'gone');
  await assert.rejects(
    saveModelFolder(gone, 'models/run-1', {} as never, {} as TrainOptions),
    { code: 'NOT_FOUND', message: `The project folder ${gone} was moved, renamed, replaced or deleted while this run trained, so its model was not saved.` },
  );
  assert.equal(existsSync(gone), false);
});

test("a run's model that does not fit on the disk: said as a full disk, and no half-written folder is left", async (t) => {
  const drive = join(root, 'small-drive');
  mkdirSync(drive);
  const cannot = mountTmpfs(drive, '1m');
  if (cannot) return t.skip(cannot);
  try {
    Project.init(drive).close();
    // 768 × 512 float32 (1.5 MB) never fits on 1 MB.
    const w = (name: string, shape: number[]) => ({ name, shape, data: new Float32Array(shape[0] * (shape[1] ?? 1)) });
    const enc = { weights: [w('dense_1/kernel', [768, 512]), w('dense_1/bias', [512]), w('dense_2/kernel', [512, 10]), w('dense_2/bias', [10])] };
    await assert.rejects(saveModelFolder(drive, 'models/run-1', enc, { dropout: 0.1 } as TrainOptions), {
      code: 'DISK_FULL',
      message: `The disk holding ${drive} is full, so this run's model was not saved (the epochs it finished are kept). Free some space and train again.`,
    });
    assert.deepEqual(readdirSync(join(drive, 'models')), [], 'neither the model nor its .partial folder');
  } finally {
    unmount(drive);
  }
});

test('a missing thumbnail is made again in place, but never at the old path of a moved folder', async () => {
  const dir = join(root, 'thumbs');
  const photo = join(root, 'red.png');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } }).png().toFile(photo);
  const sha = createHash('sha256').update(readFileSync(photo)).digest('hex');
  const p = Project.init(dir);
  try {
    const { lastInsertRowid: id } = p.db
      .prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb) VALUES ('red.png', 'red.png', '', ?, ?, 8, 8, 1, 0, ?)`)
      .run(photo, sha, thumbRelPath(sha));
    assert.equal(await p.thumbnail(Number(id)), join(dir, thumbRelPath(sha)), 'made again where the project is');
    rmSync(join(dir, 'thumbs'), { recursive: true });
    renameSync(dir, `${dir}-moved`);
    assert.equal(await p.thumbnail(Number(id)), null);
    assert.equal(existsSync(dir), false, 'no thumbs/ folder at the old path');
  } finally {
    p.close();
  }
});

test('an image import whose project folder moves stops, leaves nothing at the old path, and lists what it kept; a cancelled one is listed too', async () => {
  const photos = join(root, 'import-photos');
  mkdirSync(photos);
  for (let i = 0; i < 12; i++) await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: i * 20, g: 40, b: 90 } } }).png().toFile(join(photos, `p${i}.png`));
  const dir = join(root, 'import-moved');
  const p = Project.init(dir);
  try {
    let moved = false;
    const onProgress = (e: { phase: string; done: number }) => {
      if (e.phase === 'images' && e.done === 4 && !moved) (renameSync(dir, `${dir}-moved`), (moved = true));
    };
    await assert.rejects(p.importImages(photos, { concurrency: 1, batchSize: 2, onProgress }), {
      code: 'NOT_FOUND',
      message: /^The project folder .*import-moved was moved, renamed, replaced or deleted during the import, so it stopped\. The 4 new images imported before it stay in the project/,
    });
    assert.equal(existsSync(dir), false, 'no stray folder of thumbnails at the old path');
    assert.match(p.history()[0].note ?? '', /4 added, 0 updated \(stopped before the end\)/);
  } finally {
    p.close();
  }
  const q = Project.init(join(root, 'import-cancelled'));
  try {
    const ac = new AbortController();
    const onProgress = (e: { phase: string; done: number }) => e.phase === 'images' && e.done === 3 && ac.abort();
    await assert.rejects(q.importImages(photos, { concurrency: 1, batchSize: 1, signal: ac.signal, onProgress }), { name: 'AbortError' });
    const kept = q.listImages({}).total;
    assert.ok(kept >= 3);
    assert.match(q.history()[0].note ?? '', new RegExp(`${kept} added, 0 updated \\(stopped before the end\\)`), 'a cancelled import is listed with what it kept');
  } finally {
    q.close();
  }
});
