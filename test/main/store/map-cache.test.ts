// The map's projection cache stays bounded: the newest MAX_PROJECTIONS (source, method) rows are kept,
// a rewrite of an existing key refreshes it, and the row just written is never the one dropped.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../../src/main/store/db.js';
import { MAX_PROJECTIONS, readProjection, writeProjection } from '../../../src/main/store/map.js';

test('the projection cache keeps the newest MAX_PROJECTIONS rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-mapcache-'));
  const db = openDb(join(dir, 'project.sqlite'));
  try {
    // created_at has millisecond resolution: space the writes so their order is unambiguous.
    const wait = () => {
      const t = Date.now();
      while (Date.now() - t < 3);
    };
    const p = { fingerprint: 'f', ids: Buffer.alloc(4), xy: Buffer.alloc(8), seconds: 0.1 };
    // A run's map is kept only while the run exists.
    for (let i = 1; i <= MAX_PROJECTIONS + 5; i++) db.prepare(`INSERT INTO runs (id, status, options, backend) VALUES (?, 'finished', '{}', 'wasm')`).run(i);
    for (let i = 1; i <= MAX_PROJECTIONS + 5; i++) {
      writeProjection(db, `run:${i}`, 'pca', p);
      wait();
      if (i === 3) (writeProjection(db, 'run:1', 'pca', { ...p, fingerprint: 'g' }), wait()); // used again: refreshed
    }
    const count = (db.prepare('SELECT COUNT(*) AS n FROM map_projections').get() as { n: number }).n;
    assert.equal(count, MAX_PROJECTIONS);
    assert.ok(readProjection(db, `run:${MAX_PROJECTIONS + 5}`, 'pca'), 'the newest is kept');
    assert.equal(readProjection(db, 'run:2', 'pca'), undefined, 'the oldest are dropped');
    assert.equal(readProjection(db, 'run:1', 'pca'), undefined, 'a refresh only delays it');
    assert.ok(readProjection(db, 'run:6', 'pca'), `run:6 is among the newest ${MAX_PROJECTIONS}`);
    // A map computed for a run deleted meanwhile is not stored.
    writeProjection(db, 'run:99', 'pca', p);
    assert.equal(readProjection(db, 'run:99', 'pca'), undefined);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
