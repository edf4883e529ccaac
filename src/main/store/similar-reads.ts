// Reads for the similarity search (project/similar.ts): a cheap signature of what a cached vector
// set depends on, and one content's cached features by its sha256 (an outside file identical to an
// image of the project reuses them).
import type { Db } from './db.js';
import type { CacheKey } from './features.js';

/** Changes whenever images are added, re-versioned or removed, or features under `key` are added. */
export function vectorSignature(db: Db, key: CacheKey): string {
  const img = db.prepare('SELECT COUNT(*) AS n, MAX(id) AS m, SUM(version) AS v FROM images').get() as { n: number; m: number | null; v: number | null };
  const feats = db
    .prepare('SELECT COUNT(*) FROM feature_cache WHERE backbone = ? AND weights = ? AND preprocessing = ?')
    .pluck()
    .get(key.backbone, key.weights, key.preprocessing) as number;
  return `${img.n}:${img.m}:${img.v}:${feats}`;
}

/** The cached vector of a content under `key` (undefined when none). */
export function featureBlobBySha(db: Db, key: CacheKey, sha256: string): Buffer | undefined {
  return db
    .prepare('SELECT data FROM feature_cache WHERE sha256 = ? AND backbone = ? AND weights = ? AND preprocessing = ?')
    .pluck()
    .get(sha256, key.backbone, key.weights, key.preprocessing) as Buffer | undefined;
}
