// Reads for the similarity search (project/similar.ts): a cheap signature of what a cached vector
// set depends on, and one content's cached features by its sha256 (an outside file identical to an
// image of the project reuses them).
import type { Db } from './db.js';
import type { CacheKey } from './features.js';

/** Vectors cached under a key (index-only with 0008's feature_cache_key). */
export const FEATURE_COUNT = 'SELECT COUNT(*) FROM feature_cache WHERE backbone = ? AND weights = ? AND preprocessing = ?';

/**
 * Changes whenever images are added, re-versioned or removed (0014's counter: a removal undone and
 * another made would leave count and largest id as they were), or features under `key` are added.
 * Index-only reads (no vector is read): the counts use images' indexes and feature_cache_key (0008).
 */
export function vectorSignature(db: Db, key: CacheKey): string {
  const img = db
    .prepare(
      'SELECT (SELECT COUNT(*) FROM images) AS n, (SELECT MAX(id) FROM images) AS m, (SELECT COUNT(*) FROM image_versions) AS v, (SELECT removed FROM image_changes) AS r',
    )
    .get() as { n: number; m: number | null; v: number; r: number };
  const feats = db
    .prepare(FEATURE_COUNT)
    .pluck()
    .get(key.backbone, key.weights, key.preprocessing) as number;
  return `${img.n}:${img.m}:${img.v}:${img.r}:${feats}`;
}

/** The cached vector of a content under `key` (undefined when none). */
export function featureBlobBySha(db: Db, key: CacheKey, sha256: string): Buffer | undefined {
  return db
    .prepare('SELECT data FROM feature_cache WHERE sha256 = ? AND backbone = ? AND weights = ? AND preprocessing = ?')
    .pluck()
    .get(sha256, key.backbone, key.weights, key.preprocessing) as Buffer | undefined;
}

