// The backbone feature cache: float32 little-endian BLOBs keyed by image content (images.sha256),
// backbone, weights fingerprint and preprocessing version (migration 0006), so replaced weights, a
// changed preprocessing or a re-imported changed file never reuse stale features, and byte-identical
// images share one row. Missing features are computed through ml's extractFeatures, each batch
// written in one transaction, so a killed embed keeps what it finished and a restart computes the rest.
import { existsSync } from 'node:fs';
import type { BackendName, LeftOutImage, SkippedFile, TrainBackendName, TrainOptions } from '../../shared/types.js';
import { tfjsBackendOf } from '../ml/encoder/engine.js';
import type { ProgressFn } from '../jobs/progress.js';
import {
  backbonePath,
  backboneSpec,
  extractFeatures,
  isBackboneInstalled,
  missingBackboneError,
  prepVersion,
  weightsFingerprint,
  type ImagePrep,
} from '../ml/index.js';
import type { Db } from '../store/db.js';
import { featureBlobReader, featureMatrix, featureWriter, imagesWithCacheState } from '../store/features.js';

export interface EmbedReport {
  backbone: string;
  /** Preprocessing version and weights fingerprint the features are keyed by. */
  preprocessing: string;
  weights: string;
  /** Images whose features were computed now. */
  computed: number;
  /** Images that already had features. */
  cached: number;
  failed: SkippedFile[];
  /** The failed images by id, with why (missing file or undecodable). */
  leftOut: LeftOutImage[];
  /** Backend that computed the features; null when nothing was computed (all cached, or nothing to do). */
  backend: string | null;
  /** Feature engine that ran (e.g. onnxruntime, tfjs-layers/wasm); null when nothing was computed. */
  engine: string | null;
  seconds: number;
  /** Which engine was chosen and why (measured fastest here, remembered, or asked for). */
  engineChoice?: string;
  /** Engines that failed at run time, each continued on the next fastest. */
  fallbacks?: string[];
}

/** What cached features depend on besides the image content. */
export interface FeatureKey {
  backbone: string;
  weights: string;
  preprocessing: string;
  prep: ImagePrep;
}

export interface EnsureFeaturesOptions {
  /** Only these images (default: all). */
  imageIds?: number[];
  /** A training backend may be given: 'onnxruntime' (training only) extracts on the best tfjs backend / feature engine. */
  backend?: TrainBackendName;
  /** Resize/orientation (default: the backbone's). */
  prep?: Partial<ImagePrep>;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** The backbone's default preprocessing with the given choices applied. */
export function resolvePrep(backbone: string, prep: Partial<ImagePrep> = {}): ImagePrep {
  const d = backboneSpec(backbone).prep;
  return { resize: prep.resize ?? d.resize, exif: prep.exif ?? d.exif };
}

/**
 * A run's preprocessing: as recorded in its options. Runs from before the option existed were made
 * with the antialiased resize and raw orientation, whatever the backbone's default is now.
 */
export function prepOfRun(options: TrainOptions): ImagePrep {
  return { resize: options.resize ?? 'antialias', exif: options.exif ?? false };
}

/** The cache key for a backbone (installed) and preprocessing; hashes the weights only when they changed. */
export function featureKey(backbone: string, prep: Partial<ImagePrep> = {}): FeatureKey {
  const full = resolvePrep(backbone, prep);
  if (!isBackboneInstalled(backbone)) throw missingBackboneError(backbone);
  return { backbone, weights: weightsFingerprint(backbonePath(backbone)), preprocessing: prepVersion(full), prep: full };
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

/** Computes features for the images (of `imageIds`, or all) that have none under this key yet. */
export async function ensureFeatures(db: Db, backbone: string, opts: EnsureFeaturesOptions = {}): Promise<EmbedReport> {
  const key = featureKey(backbone, opts.prep);
  const all = imagesWithCacheState(db, { backbone, weights: key.weights, preprocessing: key.preprocessing });
  const wanted = opts.imageIds ? new Set(opts.imageIds) : null;
  const scope = wanted ? all.filter((r) => wanted.has(r.id)) : all;
  // One computation per content: byte-identical images share their features.
  const bySha = new Map<string, { id: number; name: string; path: string; sha256: string }>();
  for (const r of scope) if (r.cached === null && !bySha.has(r.sha256)) bySha.set(r.sha256, r);
  const missing = [...bySha.values()];
  const report: EmbedReport = {
    backbone,
    preprocessing: key.preprocessing,
    weights: key.weights,
    computed: 0,
    cached: scope.filter((r) => r.cached !== null).length,
    failed: [],
    leftOut: [],
    backend: null,
    engine: null,
    seconds: 0,
  };
  if (missing.length === 0) return report;

  const shaOf = new Map(missing.map((r) => [r.id, r.sha256]));
  // A failed content leaves out every image that has it.
  const sameContent = (sha: string | undefined) => scope.filter((r) => r.cached === null && r.sha256 === sha);
  const insert = featureWriter(db, { backbone, weights: key.weights, preprocessing: key.preprocessing });
  const writeBatch = db.transaction((rows: { id: number; features: Float32Array }[]) => {
    for (const r of rows) insert(shaOf.get(r.id)!, r.features.length, featureBlob(r.features));
  });
  opts.onProgress?.({ phase: 'features', done: 0, total: missing.length });
  const res = await extractFeatures({
    backbone,
    images: missing.map((r) => ({ id: r.id, path: r.path })),
    backend: tfjsBackendOf(opts.backend),
    prep: key.prep,
    signal: opts.signal,
    onBatch: (rows) => {
      writeBatch(rows);
      report.computed += rows.length;
    },
    onProgress: (done, total) => opts.onProgress?.({ phase: 'features', done, total }),
    onImageError: (id, path, err) => {
      report.failed.push({ path, reason: err.message });
      const reason = existsSync(path) ? 'undecodable' : 'missing file';
      for (const r of sameContent(shaOf.get(id))) report.leftOut.push({ id: r.id, name: r.name, reason, detail: err.message });
    },
  });
  report.backend = res.backend;
  report.engine = res.engine;
  report.seconds = res.seconds;
  report.engineChoice = res.choice;
  if (res.fallbacks?.length) report.fallbacks = res.fallbacks;
  return report;
}

/** Above this many ids one streamed query over all cached rows beats a lookup per id. */
const LOOKUP_LIMIT = 2000;

/**
 * Cached features under `key` by image id (of `imageIds`, or all images). Many ids are read as one
 * matrix (store featureMatrix) and handed out as views into it: no copy per image.
 */
export function loadFeatures(db: Db, key: FeatureKey, imageIds?: Iterable<number>): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  const wanted = imageIds ? new Set(imageIds) : null;
  if (wanted && wanted.size <= LOOKUP_LIMIT) {
    const get = featureBlobReader(db, key);
    for (const id of wanted) {
      const b = get(id);
      if (b) out.set(id, blobToFeatures(b));
    }
    return out;
  }
  const m = featureMatrix(db, key);
  m.ids.forEach((id, i) => {
    if (!wanted || wanted.has(id)) out.set(id, m.data.subarray(i * m.dim, (i + 1) * m.dim));
  });
  return out;
}
