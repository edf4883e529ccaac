// A project database with `n` images and a cached `dim`-d vector for each (one backbone), for the
// feature-store read bench and its test. Vectors: image i holds i + j/1000 at position j.
import { openDb, type Db } from '../src/main/store/db.js';
import { featureWriter, type CacheKey } from '../src/main/store/features.js';

export const STORE_KEY: CacheKey = { backbone: 'mobilenet_v1_0.75_224', weights: 'w1', preprocessing: 'keras-nearest-v1' };

export function makeFeatureStore(file: string, n: number, dim: number): Db {
  const db = openDb(file);
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  const write = featureWriter(db, STORE_KEY);
  const v = new Float32Array(dim);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      ins.run(`img-${i}.jpg`, `img-${i}.jpg`, `/nowhere/img-${i}.jpg`, `sha-${i}`);
      for (let j = 0; j < dim; j++) v[j] = i + j / 1000;
      write(`sha-${i}`, dim, Buffer.from(v.buffer));
    }
  })();
  return db;
}
