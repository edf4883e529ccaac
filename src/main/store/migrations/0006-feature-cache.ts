// 0006: cached features keyed by what they depend on — image content (images.sha256), backbone,
// weights fingerprint and preprocessing version — so replaced weights, another preprocessing or a
// changed file never reuse stale features. Old rows (keyed by image id and backbone only, with no
// record of weights or preprocessing) cannot be re-keyed truthfully: they are dropped and recomputed
// on next use. The old `features` table is kept empty (no longer read or written by the cache) so
// code that still clears it stays valid. Runs record their feature key and what they left out.
import type { Migration } from './index.js';

export const migration0006: Migration = {
  version: 6,
  name: 'feature-cache',
  sql: `
DELETE FROM features;
CREATE TABLE feature_cache (
  sha256        TEXT NOT NULL,             -- images.sha256 of the content the features were computed from
  backbone      TEXT NOT NULL,
  weights       TEXT NOT NULL,             -- weights fingerprint (src/main/ml/fingerprint.ts)
  preprocessing TEXT NOT NULL,             -- e.g. keras-nearest-v1, antialias-v1+exif
  dim           INTEGER NOT NULL,
  data          BLOB NOT NULL,             -- float32 little-endian, dim values
  PRIMARY KEY (sha256, backbone, weights, preprocessing)
) WITHOUT ROWID;
ALTER TABLE runs ADD COLUMN preprocessing TEXT;
ALTER TABLE runs ADD COLUMN weights TEXT;
ALTER TABLE runs ADD COLUMN left_out TEXT;   -- JSON LeftOut
`,
};
