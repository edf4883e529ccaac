// Several processes on one project: two processes editing and importing at once lose nothing and see no
// SQLITE_BUSY / BUSY_SNAPSHOT; an open app (StudioService) notices another process's commit and emits
// project:changed so the renderer refreshes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EventName, Events } from '../../../src/shared/ipc.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { repoRoot } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-concurrency-'));
const dir = join(root, 'project');
const IMAGES = 12;
let ids: number[] = [];

/** Image rows without files: triplet import and edits only need the names. */
before(() => {
  const p = Project.init(dir);
  const ins = p.db.prepare(
    `INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`,
  );
  for (let i = 0; i < IMAGES; i++) ins.run(`img${i}.png`, `img${i}.png`, join(root, `img${i}.png`), String(i));
  for (let a = 1; a <= 10; a++) ids.push(p.createTriplet({ split: 'train', anchorId: a, positiveId: a + 1, negativeId: a + 2 }).id);
  p.close();
});

after(() => rmSync(root, { recursive: true, force: true }));

/** Runs a module snippet in a separate node process with `Project` in scope; resolves with its stdout JSON. */
function inProcess(body: string): Promise<{ ok: boolean; out: string }> {
  const code = `import { Project } from './src/main/project/project.ts'; const p = Project.open(${JSON.stringify(dir)}); try { ${body} } finally { p.close(); }`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repoRoot, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ ok: !err, out: stdout + stderr }),
    );
  });
}

test('two processes writing at once: no SQLITE_BUSY or BUSY_SNAPSHOT, every write present', { timeout: 120_000 }, async () => {
  // Per process, on its own five triplets (with deferred transactions 300 already fail with SQLITE_BUSY);
  // odd per triplet (61 each), so a lost swap leaves that triplet as created.
  const SWAPS = 305;
  const files: string[] = [];
  for (let i = 0; i < 40; i++) {
    const f = join(root, `t${i}.txt`);
    const a = i % IMAGES;
    writeFileSync(f, `img${a}.png img${(a + 1 + Math.floor(i / IMAGES)) % IMAGES}.png img${(a + 5 + Math.floor(i / IMAGES)) % IMAGES}.png\n`);
    files.push(f);
  }
  // Each edit reads the row, then writes it: as a deferred transaction, a commit by the other process
  // between the read and the write fails it with SQLITE_BUSY_SNAPSHOT, whatever the busy timeout.
  const swaps = (mine: number[]) => `const ids = ${JSON.stringify(mine)}; for (let i = 0; i < ${SWAPS}; i++) p.editTriplet(ids[i % ids.length], { kind: 'swap' });`;
  const imports = `for (const f of ${JSON.stringify(files)}) await p.importTriplets(f, 'test', { allowLeakage: true });`;
  // Both start at the same moment (after their slow start-up), so their writes interleave.
  const startAt = Date.now() + 2500;
  const barrier = `while (Date.now() < ${startAt});`;
  const results = await Promise.all([inProcess(barrier + swaps(ids.slice(0, 5)) + imports), inProcess(barrier + swaps(ids.slice(5)))]);
  for (const r of results) assert.ok(r.ok, r.out);
  const p = Project.open(dir);
  try {
    const count = (sql: string) => p.db.prepare(sql).pluck().get() as number;
    assert.equal(count(`SELECT COUNT(*) FROM history WHERE action = 'swap'`), 2 * SWAPS);
    assert.equal(count(`SELECT COUNT(*) FROM triplet_files`), files.length);
    assert.equal(count(`SELECT COUNT(*) FROM triplets WHERE split = 'test'`), files.length);
    // 305 swaps over 5 triplets: each swapped 61 times, so each ends swapped.
    for (const id of ids) {
      const t = p.db.prepare('SELECT anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE id = ?').get(id) as { a: number; p: number; n: number };
      assert.deepEqual([t.p, t.n], [t.a + 2, t.a + 1], `triplet ${id}`);
    }
  } finally {
    p.close();
  }
});

test('an open app notices a commit by another process and emits project:changed', { timeout: 60_000 }, async () => {
  const events: { e: EventName; p: unknown }[] = [];
  const service = new StudioService({ dataDir: join(root, 'data'), emit: <E extends EventName>(e: E, p: Events[E]) => void events.push({ e, p }) });
  try {
    service.openProject({ dir });
    events.length = 0;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(events.length, 0, 'no change, no event');
    const r = await inProcess(`p.editTriplet(${ids[0]}, { kind: 'exclude' });`);
    assert.ok(r.ok, r.out);
    const deadline = Date.now() + 5000;
    while (!events.some((x) => x.e === 'project:changed') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    const whats = events.filter((x) => x.e === 'project:changed').map((x) => (x.p as Events['project:changed']).what);
    assert.deepEqual(whats, ['images', 'triplets', 'history', 'runs'], 'every kind a list may follow');
    assert.equal(service.listTriplets({ split: 'train', status: 'excluded' }).total, 1);
  } finally {
    await service.dispose();
  }
});

test('run liveness: a running row whose pid now belongs to another process (start time differs) is marked failed', async () => {
  const { spawn } = await import('node:child_process');
  const { processStartTime } = await import('../../../src/main/project/liveness.js');
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    await new Promise((r) => setTimeout(r, 200));
    const pid = other.pid!;
    const start = processStartTime(pid);
    const p = Project.open(dir);
    const ins = p.db.prepare(`INSERT INTO runs (status, options, backend, pid, pid_start) VALUES ('running', '{}', '', ?, ?)`);
    const reused = Number(ins.run(pid, '1').lastInsertRowid); // same pid, another process's start time
    const live = Number(ins.run(pid, start).lastInsertRowid);
    const legacy = Number(ins.run(pid, null).lastInsertRowid); // recorded before start times: pid alone decides
    p.close();
    const q = Project.open(dir);
    try {
      const status = (id: number) => q.db.prepare('SELECT status, error FROM runs WHERE id = ?').get(id);
      if (process.platform === 'linux') {
        assert.notEqual(start, null);
        assert.deepEqual(status(reused), { status: 'failed', error: 'Interrupted: the process training it ended.' });
      }
      assert.deepEqual(status(live), { status: 'running', error: null });
      assert.deepEqual(status(legacy), { status: 'running', error: null });
      q.db.prepare('DELETE FROM runs WHERE id IN (?, ?, ?)').run(reused, live, legacy);
    } finally {
      q.close();
    }
  } finally {
    other.kill();
  }
});
