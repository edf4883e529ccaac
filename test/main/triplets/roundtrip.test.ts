import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanFolder } from '../../../src/main/images/scan.js';
import { openDb } from '../../../src/main/store/db.js';
import { exportTriplets } from '../../../src/main/triplets/export.js';
import { importTriplets } from '../../../src/main/triplets/import.js';
import { flowersDir, skipWithoutShared } from '../../helpers/shared.js';

test('import then export gives back the same bytes for the shared train.txt and test.txt', { skip: skipWithoutShared() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-roundtrip-'));
  const db = openDb(join(dir, 'project.sqlite'));
  try {
    // Image rows straight from the folder listing (decoding is not what this test is about).
    const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, '', 1, 1, ?, ?)`);
    for (const f of (await scanFolder(join(flowersDir(), 'images'))).files) {
      const i = f.name.lastIndexOf('/');
      ins.run(f.name, f.name.slice(i + 1), f.name.slice(0, Math.max(i, 0)), f.path, f.bytes, f.mtimeMs);
    }
    for (const [name, split] of [['train.txt', 'train'], ['test.txt', 'test']] as const) {
      const src = join(flowersDir(), name);
      const r = await importTriplets(db, src, split);
      assert.equal(r.invalid.length, 0);
      const out = join(dir, `out-${name}`);
      exportTriplets(db, split, out);
      assert.ok(readFileSync(out).equals(readFileSync(src)), `${name} round trip differs`);
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
