// The per-image backbone feature cache: float32 little-endian BLOBs, one row per (image, backbone).
// Missing features are computed through ml's extractFeatures, each batch written in one transaction,
// so a killed embed keeps what it finished and a restart only computes the rest.
import type { BackendName, SkippedFile } from '../../shared/types.js';
import { etaEstimator, type ProgressFn } from '../jobs/eta.js';
import { extractFeatures } from '../ml/index.js';
import type { Db } from '../store/db.js';

export interface EmbedReport {
  backbone: string;
  /** Images whose features were computed now. */
  computed: number;
  /** Images that already had features. */
  cached: number;
  failed: SkippedFile[];
  backend: string;
  /** Feature engine that ran (e.g. onnxruntime, tfjs-layers/wasm). */
  engine: string;
  seconds: number;
}

export interface EnsureFeaturesOptions {
  /** Only these images (default: all). */
  imageIds?: number[];
  backend?: BackendName;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** float32 little-endian bytes of a vector (all supported platforms are little-endian). */
export function featureBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A Float32Array copy of a BLOB (copied because SQLite buffers need not be 4-byte aligned). */
export function blobToFeatures(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Computes features for the images (of `imageIds`, or all) that have none for this backbone yet. */
export async function ensureFeatures(db: Db, backbone: string, opts: EnsureFeaturesOptions = {}): Promise<EmbedReport> {
  const all = db
    .prepare('SELECT i.id, i.abs_path AS path, f.image_id AS cached FROM images i LEFT JOIN features f ON f.image_id = i.id AND f.backbone = ? ORDER BY i.id')
    .all(backbone) as { id: number; path: string; cached: number | null }[];
  const wanted = opts.imageIds ? new Set(opts.imageIds) : null;
  const scope = wanted ? all.filter((r) => wanted.has(r.id)) : all;
  const missing = scope.filter((r) => r.cached === null).map((r) => ({ id: r.id, path: r.path }));
  const report: EmbedReport = { backbone, computed: 0, cached: scope.length - missing.length, failed: [], backend: '', engine: '', seconds: 0 };
  if (missing.length === 0) return report;

  const insert = db.prepare('INSERT OR REPLACE INTO features (image_id, backbone, dim, data) VALUES (?, ?, ?, ?)');
  const writeBatch = db.transaction((rows: { id: number; features: Float32Array }[]) => {
    for (const r of rows) insert.run(r.id, backbone, r.features.length, featureBlob(r.features));
  });
  const eta = etaEstimator();
  opts.onProgress?.({ phase: 'features', done: 0, total: missing.length });
  const res = await extractFeatures({
    backbone,
    images: missing,
    backend: opts.backend,
    signal: opts.signal,
    onBatch: (rows) => {
      writeBatch(rows);
      report.computed += rows.length;
    },
    onProgress: (done, total) => opts.onProgress?.({ phase: 'features', done, total, eta: eta('features', done, total) }),
    onImageError: (_id, path, err) => report.failed.push({ path, reason: err.message }),
  });
  report.backend = res.backend;
  report.engine = res.engine;
  report.seconds = res.seconds;
  return report;
}

/** Cached features of one backbone (of `imageIds`, or all). */
export function loadFeatures(db: Db, backbone: string, imageIds?: Iterable<number>): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  if (imageIds) {
    const get = db.prepare('SELECT data FROM features WHERE image_id = ? AND backbone = ?').pluck();
    for (const id of imageIds) {
      const b = get.get(id, backbone) as Buffer | undefined;
      if (b) out.set(id, blobToFeatures(b));
    }
    return out;
  }
  for (const r of db.prepare('SELECT image_id, data FROM features WHERE backbone = ?').all(backbone) as { image_id: number; data: Buffer }[]) {
    out.set(r.image_id, blobToFeatures(r.data));
  }
  return out;
}
