// The external-change watcher: another connection's commit is reported once; a commit the service
// has already reported (resync) is not reported again on the next tick.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { watchExternalChanges } from '../../../src/main/store/watch.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a commit from another connection is reported once; after resync it is not reported again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-watch-'));
  const a = new Database(join(dir, 'x.sqlite'));
  a.exec('CREATE TABLE t (v INTEGER)');
  const b = new Database(join(dir, 'x.sqlite'));
  let seen = 0;
  const watch = watchExternalChanges(a, () => seen++, 20);
  try {
    b.exec('INSERT INTO t VALUES (1)');
    await tick(80);
    assert.equal(seen, 1, 'the other connection\'s commit is reported');
    await tick(60);
    assert.equal(seen, 1, 'and only once');

    b.exec('INSERT INTO t VALUES (2)');
    assert.equal(watch.resync(), true, 'resync says the version had moved');
    await tick(80);
    assert.equal(seen, 1, 'a resynced commit is not reported again');
    assert.equal(watch.resync(), false, 'nothing new since');

    a.exec('INSERT INTO t VALUES (3)');
    await tick(80);
    assert.equal(seen, 1, 'the watched connection\'s own commits are never reported');
  } finally {
    watch();
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
