// SQL for the feature cache (feature_cache): backbone features keyed by image content (sha256),
// backbone, weights fingerprint and preprocessing, so byte-identical images share one vector and a
// changed file never reuses its old content's features. Callers hold the transactions.
import type { Db } from './db.js';

/** The cache key of a feature vector, beside the image content. */
export interface CacheKey {
  backbone: string;
  weights: string;
  preprocessing: string;
}

const CACHE_JOIN = `LEFT JOIN feature_cache c ON c.sha256 = i.sha256 AND c.backbone = @backbone AND c.weights = @weights AND c.preprocessing = @preprocessing`;

const paramsOf = (k: CacheKey) => ({ backbone: k.backbone, weights: k.weights, preprocessing: k.preprocessing });

/** Every image with whether its content has features under `key` (cached: their dim, else null). */
export function imagesWithCacheState(db: Db, key: CacheKey): { id: number; name: string; path: string; sha256: string; cached: number | null }[] {
  return db
    .prepare(`SELECT i.id, i.name, i.abs_path AS path, i.sha256, c.dim AS cached FROM images i ${CACHE_JOIN} ORDER BY i.id`)
    .all(paramsOf(key)) as { id: number; name: string; path: string; sha256: string; cached: number | null }[];
}

/** Statement storing one content's vector under `key` (prepared once per embedding pass). */
export function featureWriter(db: Db, key: CacheKey): (sha256: string, dim: number, blob: Buffer) => void {
  const st = db.prepare('INSERT OR REPLACE INTO feature_cache (sha256, backbone, weights, preprocessing, dim, data) VALUES (?, ?, ?, ?, ?, ?)');
  return (sha256, dim, blob) => void st.run(sha256, key.backbone, key.weights, key.preprocessing, dim, blob);
}

/** Reader of one image's cached vector under `key` (undefined when none). */
export function featureBlobReader(db: Db, key: CacheKey): (imageId: number) => Buffer | undefined {
  const st = db
    .prepare(`SELECT c.data FROM images i JOIN feature_cache c ON c.sha256 = i.sha256 AND c.backbone = @backbone
      AND c.weights = @weights AND c.preprocessing = @preprocessing WHERE i.id = @id`)
    .pluck();
  const params = paramsOf(key);
  return (id) => st.get({ ...params, id }) as Buffer | undefined;
}

/** Every image's cached vector under `key`. */
export function allFeatureBlobs(db: Db, key: CacheKey): { id: number; data: Buffer }[] {
  return db.prepare(`SELECT i.id, c.data FROM images i ${CACHE_JOIN.replace('LEFT JOIN', 'JOIN')}`).all(paramsOf(key)) as { id: number; data: Buffer }[];
}

/**
 * Every image's cached vector under `key` as one row-major matrix: one query streamed row by row
 * (no row objects kept; no ORDER BY, whose sort materialised every blob and tripled the time) into
 * one Float32Array. Since migration 0013 each vector is one page of a rowid table, found through the
 * unique key index and read in write order, from the memory-mapped file (100,000 × 768:
 * bench/scale.ts store, against the older layout in the same run). A vector whose length differs from the first is refused with the image id.
 */
export function featureMatrix(db: Db, key: CacheKey): { ids: Int32Array; dim: number; data: Float32Array } {
  // For this one pass the file is memory-mapped: pages are read in place instead of copied by a read
  // call each (measured 1.5× less CPU for 100,000 × 768: bench/scale.ts store). Only for the pass,
  // then as before: a mapped file turns an I/O error into a signal, so it is not left on.
  const before = db.pragma('mmap_size', { simple: true }) as number;
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  try {
    return readMatrix(db, key);
  } finally {
    db.pragma(`mmap_size = ${before}`);
  }
}

/** Upper bound of the mapping (SQLite caps it at its compile-time maximum, 2 GB by default). */
const MMAP_BYTES = 2 ** 31;

function readMatrix(db: Db, key: CacheKey): { ids: Int32Array; dim: number; data: Float32Array } {
  const from = `FROM images i ${CACHE_JOIN.replace('LEFT JOIN', 'JOIN')}`;
  // Counted from the key index alone (no vector page read): the matrix is sized before the one pass.
  const n = db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(paramsOf(key)) as number;
  const ids = new Int32Array(n);
  let dim = 0;
  let data = new Float32Array(0);
  let bytes = new Uint8Array(0);
  let i = 0;
  for (const [id, blob] of db.prepare(`SELECT i.id, c.data ${from}`).raw().iterate(paramsOf(key)) as IterableIterator<[number, Buffer]>) {
    if (i >= n) break; // rows added since the count (callers hold a transaction; defensive)
    if (i === 0) {
      dim = blob.byteLength / 4;
      data = new Float32Array(n * dim);
      bytes = new Uint8Array(data.buffer);
    }
    if (blob.byteLength !== dim * 4) throw new Error(`feature cache: image ${id} has ${blob.byteLength / 4} values, expected ${dim}`);
    ids[i] = id;
    bytes.set(blob, i * dim * 4);
    i++;
  }
  return { ids: ids.subarray(0, i), dim, data: data.subarray(0, i * dim) };
}
