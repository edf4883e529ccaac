// 0013: the feature cache as an ordinary rowid table, so reading a backbone's vectors is one page per
// vector in the order they were written (issue 12.4: 100,000 × 768 read in under 2 s). 0006 made it
// WITHOUT ROWID; there a row is stored in the primary-key b-tree, whose local payload is capped at
// about a quarter of a page, so every 3 KB vector spilled into an overflow page and a read of all
// vectors chased two pages per vector in hash order: 3× the CPU time (bench/scale.ts store, which
// times both layouts in one run). The key stays unique (INSERT OR REPLACE keeps working) through a
// unique index; 0008's key index is recreated. The old rows are copied in one transaction (every
// migration runs in one), ordered by key and then by the first image of each content, so a key's
// vectors lie together in image order.
import type { Migration } from './index.js';

export const migration0013: Migration = {
  version: 13,
  name: 'feature-rows',
  sql: `
CREATE TABLE feature_cache_rows (
  sha256        TEXT NOT NULL,
  backbone      TEXT NOT NULL,
  weights       TEXT NOT NULL,
  preprocessing TEXT NOT NULL,
  dim           INTEGER NOT NULL,
  data          BLOB NOT NULL
);
INSERT INTO feature_cache_rows (sha256, backbone, weights, preprocessing, dim, data)
  SELECT c.sha256, c.backbone, c.weights, c.preprocessing, c.dim, c.data
  FROM feature_cache c LEFT JOIN (SELECT sha256, MIN(id) AS first FROM images GROUP BY sha256) f ON f.sha256 = c.sha256
  ORDER BY c.backbone, c.weights, c.preprocessing, f.first IS NULL, f.first, c.sha256;
DROP TABLE feature_cache;
ALTER TABLE feature_cache_rows RENAME TO feature_cache;
CREATE UNIQUE INDEX feature_cache_content ON feature_cache(sha256, backbone, weights, preprocessing);
CREATE INDEX feature_cache_key ON feature_cache(backbone, weights, preprocessing);
`,
};
