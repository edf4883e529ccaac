// A write that waits past the busy timeout for another process's write lock (a long CLI import) is
// answered BUSY in plain words, as the CLI says it, not "database is locked" as a bug with a stack in
// the diagnostics log (found by the multi-process review: the app showed "this looks like a bug").
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDispatcher } from '../../../src/main/ipc/dispatch.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { openDb } from '../../../src/main/store/db.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-busy-elsewhere-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('an edit while another connection holds the write lock for longer than the busy timeout: BUSY, said, not logged, store unchanged', async () => {
  const dir = join(root, 'project');
  const p = Project.init(dir);
  addFilelessImages(p.db, ['a.jpg', 'b.jpg', 'c.jpg']);
  p.db.prepare(`INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES (1, 'train', 1, 2, 3, 'a.jpg', 'b.jpg', 'c.jpg', 'active', 'manual', 1)`).run();
  p.close();
  const service = new StudioService({ dataDir: join(root, 'data'), emit: () => undefined });
  const other = openDb(join(dir, 'project.sqlite'));
  try {
    service.openProject({ dir });
    const d = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null }, service.log);
    // The app waits 5 s for the lock; 0.2 s here gives the same SQLITE_BUSY without the wait.
    (service as unknown as { current(): Project }).current().db.pragma('busy_timeout = 200');
    other.exec('BEGIN IMMEDIATE'); // "another process" in the middle of a long write
    const r = await d.dispatch('editTriplet', { id: 1, edit: { kind: 'swap' } }, { transport: 'socket', authenticated: true });
    other.exec('ROLLBACK');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'BUSY');
    assert.match(!r.ok ? r.error.message : '', /^The project is busy: another process .* has been writing to it for more than 5 s, so the last change was not saved/);
    assert.equal(existsSync(service.diagnostics().logFile), false, 'nothing logged: it is not a bug');
    assert.equal(service.listTriplets({ split: 'train' }).items[0].positive, 'b.jpg', 'not swapped');
  } finally {
    other.close();
    await service.dispose();
  }
});
