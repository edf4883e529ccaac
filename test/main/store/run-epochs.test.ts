// Epochs stored as they end (so a killed run keeps them): never waiting on another writer, and never
// throwing in the worker's message handler it runs in, whatever the write meets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { Project } from '../../../src/main/project/project.js';
import { insertRunningRun, storeEpochNow } from '../../../src/main/store/runs.js';

const root = mkdtempSync(join(tmpdir(), 'ts-run-epochs-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('an epoch is stored as it ends; a busy database or a NaN loss skips it without waiting or throwing', () => {
  const project = Project.init(join(root, 'p'));
  const db = project.db;
  const runId = insertRunningRun(db, '{}', process.pid, null);
  const epoch = (n: number, loss = 0.5) => ({ epoch: n, loss, valLoss: 0.4, valAccuracy: 0.8, seconds: 1 });
  const stored = () => db.prepare('SELECT epoch FROM run_epochs WHERE run_id = ? ORDER BY epoch').pluck().all(runId);
  const timeout = db.pragma('busy_timeout', { simple: true });
  assert.equal(storeEpochNow(db, runId, epoch(1)), true);
  assert.equal(storeEpochNow(db, runId, epoch(2, Number.NaN)), false, 'NULL in a NOT NULL column');
  // Another process holds the write lock: skipped at once, not after the 5 s busy timeout.
  const other = new Database(join(project.dir, 'project.sqlite'));
  other.exec('BEGIN IMMEDIATE');
  const t0 = performance.now();
  assert.equal(storeEpochNow(db, runId, epoch(3)), false);
  assert.ok(performance.now() - t0 < 1000, `waited ${Math.round(performance.now() - t0)} ms`);
  other.exec('ROLLBACK');
  other.close();
  assert.equal(storeEpochNow(db, runId, epoch(4)), true);
  assert.deepEqual(stored(), [1, 4]);
  assert.equal(db.pragma('busy_timeout', { simple: true }), timeout, 'the busy timeout is back');
  project.close();
});
