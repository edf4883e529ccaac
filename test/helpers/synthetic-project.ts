// A project store filled directly, as import-images, the feature cache and import-triplets store
// their rows, without image files: for training at sizes the shared photos cannot give (tests of the
// training input; bench/train-big-project.ts). Features go under the installed backbone's key, so
// Project.train finds them cached and computes nothing.
import { featureBlob, featureKey } from '../../src/main/project/features.js';
import type { Project } from '../../src/main/project/project.js';
import { featureWriter } from '../../src/main/store/features.js';
import { insertTripletFile } from '../../src/main/store/triplet-rows.js';

export const syntheticImageName = (i: number): string => `c${String(i % 97).padStart(2, '0')}/img-${String(i).padStart(6, '0')}.jpg`;

/** Image i (0-based) gets id i + 1 and row i of `features` (rows × dim) as its cached features; `withoutFeatures` rows get none. */
export function addFeatureImages(project: Project, backbone: string, features: Float32Array, dim: number, withoutFeatures: ReadonlySet<number> = new Set()): void {
  const db = project.db;
  const key = featureKey(backbone);
  const ins = db.prepare(`INSERT INTO images (id, name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, ?, 1, 1, 1, 0)`);
  const write = featureWriter(db, key);
  db.transaction(() => {
    for (let i = 0; i < features.length / dim; i++) {
      const name = syntheticImageName(i);
      const slash = name.indexOf('/');
      ins.run(i + 1, name, name.slice(slash + 1), name.slice(0, slash), `/nowhere/${name}`, `sha-${i}`);
      if (!withoutFeatures.has(i)) write(`sha-${i}`, dim, featureBlob(features.subarray(i * dim, (i + 1) * dim)));
    }
  })();
}

/** Triplets of 0-based image indices [a0, p0, n0, …] as an imported file's lines (ids from `firstId`, lines 1…, import order). */
export function addImportedTriplets(project: Project, split: 'train' | 'test', rows: Int32Array, firstId: number): void {
  const db = project.db;
  const name = syntheticImageName;
  const ins = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'imported', ?, ?, ?)`,
  );
  db.transaction(() => {
    const file = insertTripletFile(db, `/nowhere/${split}-${firstId}.txt`, split);
    for (let t = 0; t < rows.length / 3; t++) {
      const [a, p, n] = [rows[3 * t], rows[3 * t + 1], rows[3 * t + 2]];
      ins.run(firstId + t, split, a + 1, p + 1, n + 1, name(a), name(p), name(n), file, t + 1, firstId + t);
    }
  })();
}
