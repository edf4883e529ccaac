// The similarity search's staleness check reads indexes only (migration 0008), and changes when the
// images or the cached vectors of its key change.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../../src/main/store/db.js';
import { featureWriter } from '../../../src/main/store/features.js';
import { FEATURE_COUNT, vectorSignature } from '../../../src/main/store/similar-reads.js';

const key = { backbone: 'b', weights: 'w', preprocessing: 'p' };

test('counting a key\'s cached vectors uses the covering index, not the vectors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-simreads-'));
  const db = openDb(join(dir, 'project.sqlite'));
  try {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${FEATURE_COUNT}`).all('b', 'w', 'p') as { detail: string }[]).map((r) => r.detail).join('\n');
    assert.match(plan, /COVERING INDEX feature_cache_key/);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the signature changes with new images, new versions and new vectors of the key only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-simreads-'));
  const db = openDb(join(dir, 'project.sqlite'));
  try {
    const addImage = (id: number, sha: string) =>
      db.prepare(`INSERT INTO images (id, name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, '', ?, ?, 1, 1, 1, 0)`).run(id, `i${id}`, `i${id}`, `/x/i${id}`, sha);
    const s0 = vectorSignature(db, key);
    addImage(1, 'aa');
    const s1 = vectorSignature(db, key);
    assert.notEqual(s1, s0);
    featureWriter(db, key)('aa', 2, Buffer.alloc(8));
    const s2 = vectorSignature(db, key);
    assert.notEqual(s2, s1);
    featureWriter(db, { ...key, preprocessing: 'other' })('aa', 2, Buffer.alloc(8));
    assert.equal(vectorSignature(db, key), s2, 'another key leaves it alone');
    db.prepare(`INSERT INTO image_versions (image_id, version, sha256, width, height) VALUES (1, 1, 'aa', 1, 1)`).run();
    assert.notEqual(vectorSignature(db, key), s2, 'a replaced version changes it');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
