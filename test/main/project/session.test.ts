// Sessions that survive: the service reopens the most recent project when it starts (and says why
// when it cannot), and activeJobs describes a running job well enough for a reloaded tab to show
// it again (last progress, every epoch report so far, what started it).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JobManager } from '../../../src/main/jobs/manager.js';
import { StudioService } from '../../../src/main/project/service.js';
import { createStudioService } from '../../../src/main/service/create.js';
import { fillDisk, mountTmpfs, unmount } from '../../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-session-svc-'));
after(() => rmSync(root, { recursive: true, force: true }));
const emit = () => undefined;

test('a new service reopens the most recent project; a vanished one is explained, not fatal', async () => {
  const data = join(root, 'data');
  const first = new StudioService({ dataDir: data, emit });
  const dir = join(root, 'proj');
  first.createProject({ dir });
  await first.dispose();

  const second = createStudioService({ dataDir: data, emit });
  try {
    assert.equal((await second.projectInfo({}))?.dir, dir);
    assert.equal(await second.reopenNotice({}), null);
  } finally {
    await second.dispose?.();
  }

  rmSync(join(dir, 'project.sqlite'));
  writeFileSync(join(data, 'recent.json'), JSON.stringify([dir]));
  const third = createStudioService({ dataDir: data, emit });
  try {
    assert.equal(await third.projectInfo({}), null);
    assert.match(String(await third.reopenNotice({})), new RegExp(`Could not reopen the last project, ${dir}: the folder is gone or is no longer a project`));
  } finally {
    await third.dispose?.();
  }
});

test('activeJobs: last progress, every kept (epoch) report and the meta of a running job', async () => {
  const jobs = new JobManager(() => undefined);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const id = jobs.start(
    'train',
    async (ctx) => {
      ctx.progress({ phase: 'train', done: 1, total: 4, epoch: 1, loss: 0.9, valAccuracy: 0.6, keep: true });
      ctx.progress({ phase: 'train', done: 2, total: 4, epoch: 2, loss: 0.7, valAccuracy: 0.7, keep: true });
      await gate;
      return 1;
    },
    { meta: { options: { epochs: 2 } } },
  );
  // Reports pass through the throttled reporter: wait until both epoch reports are out.
  for (let i = 0; i < 50 && (jobs.active()[0]?.kept.length ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const [a] = jobs.active();
  assert.equal(a.jobId, id);
  assert.equal(a.kind, 'train');
  assert.deepEqual(a.kept.map((k) => [k.epoch, k.loss]), [[1, 0.9], [2, 0.7]]);
  assert.equal(a.progress?.epoch, 2);
  assert.deepEqual(a.meta, { options: { epochs: 2 } });
  release();
  await jobs.wait(id);
  assert.deepEqual(jobs.active(), []);
});

test('a data folder on a full disk: creating and opening a project still work (the recent list is a convenience), and no temporary file is left', async (t) => {
  const disk = join(root, 'full-disk');
  mkdirSync(disk);
  const cannot = mountTmpfs(disk, '64k');
  if (cannot) return t.skip(cannot);
  const service = new StudioService({ dataDir: disk, emit });
  try {
    fillDisk(disk);
    const dir = join(root, 'proj-beside-a-full-data-folder');
    service.createProject({ dir });
    assert.equal(service.projectInfo()?.dir, dir, 'created and open, though it could not be remembered');
    service.closeProject();
    service.openProject({ dir });
    assert.equal(service.projectInfo()?.dir, dir);
    assert.deepEqual(readdirSync(disk), ['filler']);
  } finally {
    await service.dispose();
    unmount(disk);
  }
});
