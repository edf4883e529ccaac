// `embed` killed with SIGKILL mid-run (no chance to clean up) and started again: the store is intact,
// the batches written before the kill are kept, and the second run computes only the rest.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { flowersDir, repoRoot, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);

const root = mkdtempSync(join(tmpdir(), 'ts-embed-kill-'));
const project = join(root, 'p');
const env = { ...process.env, TRIPLET_STUDIO_BACKBONES: sharedModelsDir(), TRIPLET_STUDIO_DATA: join(root, 'data') };
const bin = join(repoRoot, 'bin', 'triplet-studio.js');
after(() => rmSync(root, { recursive: true, force: true }));

const run = (...args: string[]): string => execFileSync(process.execPath, [bin, ...args, '--json'], { env, encoding: 'utf8' });

/** A count read by a second connection while the CLI writes (WAL allows it). */
function countOf(sql: string, ...params: unknown[]): number {
  const db = new Database(join(project, 'project.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get(...params) as number;
  } finally {
    db.close();
  }
}

/** Cached feature rows. */
const cachedCount = (): number => countOf('SELECT COUNT(*) FROM feature_cache WHERE backbone = ?', BACKBONE);
/** Stored epochs of a run. */
const epochCount = (runId: number): number => countOf('SELECT COUNT(*) FROM run_epochs WHERE run_id = ?', runId);

test('embed killed with SIGKILL resumes where it stopped', { skip, timeout: 180_000 }, async () => {
  run('init', project);
  run('import-images', project, join(flowersDir(), 'images'));
  const child = spawn(process.execPath, [bin, 'embed', project, '--backbone', BACKBONE], { env, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let kept = 0;
  while (child.exitCode === null) {
    kept = cachedCount();
    if (kept > 0) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(await exited, 'SIGKILL', 'embed finished before it could be killed');
  kept = cachedCount();
  assert.ok(kept > 0 && kept < 300, `${kept} of 300 features survived the kill`);

  const db = new Database(join(project, 'project.sqlite'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();

  const again = JSON.parse(run('embed', project, '--backbone', BACKBONE)) as { computed: number; cached: number; failed: unknown[] };
  assert.deepEqual([again.computed, again.cached, again.failed.length], [300 - kept, kept, 0]);
  assert.equal(cachedCount(), 300);
});

test('train killed with SIGKILL: the run is marked interrupted and keeps the epochs it finished', { skip, timeout: 180_000 }, async () => {
  run('import-triplets', project, join(flowersDir(), 'train.txt'), '--split', 'train');
  const child = spawn(process.execPath, [bin, 'train', project, '--backbone', BACKBONE, '--epochs', '500', '--seed', '1'], { env, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let stored = 0;
  while (child.exitCode === null) {
    stored = epochCount(1);
    if (stored >= 2) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(await exited, 'SIGKILL', 'train ended before it could be killed');
  const [r] = JSON.parse(run('runs', project)) as { status: string; error: string; epochs: { epoch: number }[] }[];
  assert.deepEqual([r.status, r.error], ['failed', 'Interrupted: the process training it ended.']);
  // An epoch met by another connection's lock is skipped, not waited for: at least the two seen, in order.
  assert.ok(r.epochs.length >= 2, `${r.epochs.length} epochs kept`);
  assert.ok(r.epochs.every((e, i) => i === 0 || e.epoch > r.epochs[i - 1].epoch));
});
