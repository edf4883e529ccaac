// A request still running when its project is closed (another project opened, the app quitting)
// is stopped, not broken: CANCELLED in plain words, nothing in the diagnostics log. Found by the e2e
// suite's log check: a similarity search in flight while the server stopped failed with
// "TypeError: The database connection is not open".
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDispatcher } from '../../../src/main/ipc/dispatch.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';

const root = mkdtempSync(join(tmpdir(), 'ts-closed-midway-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the whole-library file check, interrupted by closing the project: CANCELLED, not logged', async () => {
  const dir = join(root, 'project');
  const p = Project.init(dir);
  // More than one store page (5,000 paths), so the check reads the store again after it first yields.
  const img = p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb) VALUES (?, ?, 'f', ?, ?, 1, 1, 1, 0, ?)`);
  p.db.transaction(() => {
    for (let i = 0; i < 12_000; i++) {
      const path = join(root, `${i}.jpg`);
      writeFileSync(path, '');
      img.run(`f/${i}.jpg`, `${i}.jpg`, path, `h${i}`, `thumbs/h${i}.webp`);
    }
  })();
  p.close();
  const data = join(root, 'data');
  const service = new StudioService({ dataDir: data, emit: () => undefined });
  try {
    service.openProject({ dir });
    const d = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null }, service.log);
    const pending = d.dispatch('missingImages', {}, { transport: 'socket', authenticated: true });
    await new Promise((r) => setImmediate(r)); // the check has started and yielded
    service.closeProject();
    assert.deepEqual(await pending, { ok: false, error: { code: 'CANCELLED', message: 'Stopped: the project was closed before this finished.' } });
    assert.equal(existsSync(service.diagnostics().logFile), false, 'nothing logged: it is not a bug');
  } finally {
    await service.dispose();
  }
});

test("opening another project stops a job the app started on its own (yields) instead of refusing; a user's job still refuses", async () => {
  const [a, b] = [join(root, 'a'), join(root, 'b')];
  Project.init(a).close();
  Project.init(b).close();
  const service = new StudioService({ dataDir: join(root, 'data-2'), emit: () => undefined });
  try {
    service.openProject({ dir: a });
    const untilAborted = (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const background = service.jobs.start('embed', (ctx) => untilAborted(ctx.signal), { yields: true });
    await new Promise((r) => setImmediate(r));
    assert.equal(service.openProject({ dir: b }).dir, b, 'not BUSY: the background job gave way');
    await assert.rejects(service.jobs.wait(background), { name: 'AbortError' });
    const users = service.jobs.start('train', (ctx) => untilAborted(ctx.signal));
    await new Promise((r) => setImmediate(r));
    // The refusal names the job, so the app can offer to stop it (renderer lib/state/stop-jobs.ts).
    assert.throws(() => service.openProject({ dir: a }), { code: 'BUSY', message: /while a job is running \(train\)/, details: { jobId: users, kind: 'train' } });
    assert.equal(service.projectInfo()?.dir, b);
    // A folder that is no project is said at once, not after asking to stop the job for it; the
    // project already open is simply still open.
    assert.throws(() => service.openProject({ dir: join(root, 'nothing') }), { code: 'NO_PROJECT' });
    assert.throws(() => service.createProject({ dir: a }), { code: 'CONFLICT' });
    assert.equal(service.openProject({ dir: b }).dir, b);
    assert.deepEqual(service.jobs.running().map((j) => j.jobId), [users]);
    service.cancelJob({ jobId: users });
    await assert.rejects(service.jobs.wait(users));
  } finally {
    await service.dispose();
  }
});
