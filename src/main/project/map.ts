// The embedding map: every image with features projected to 2-D (PCA or UMAP, in a worker), from
// the raw backbone features (before any run) or a finished run's encoder (default: the latest).
// Projections are cached per (source, method) in map_projections with a fingerprint of the images
// they cover, so a second call is a read and any change to the images recomputes.
import { createHash } from 'node:crypto';
import { typedToBase64 } from '../../shared/b64.js';
import { AppError } from '../../shared/errors.js';
import type { MapMethod, MapProjection, MapSourceKind, RunSummary } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { backboneSpec, defaultBackbone, l2normalize, project2d, type EncoderWeights } from '../ml/index.js';
import type { Db } from '../store/db.js';
import { imagesWithCacheState } from '../store/features.js';
import { readProjection, writeProjection } from '../store/map.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun, type FeatureKey } from './features.js';
import { mapColours } from './map-colours.js';
import { embedAll, getRun, latestFinishedRunId } from './runs.js';

export interface MapRequest {
  method: MapMethod;
  /** A finished run's encoder (default: the latest finished run, else raw features). */
  runId?: number;
  /** 'features' forces the raw backbone features even when runs exist. */
  source?: MapSourceKind;
  /** Compute the features images lack first (a job with progress); else they are left off the map. */
  computeFeatures?: boolean;
}

export interface MapDeps {
  readOnly: boolean;
  encoder: (runId: number) => Promise<EncoderWeights>;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** Parameters that change a projection: part of its cache key. */
const METHOD_KEYS: Record<MapMethod, string> = { pca: 'pca-v1', umap: 'umap-v2:k15:d0.1:seed1:fit25000' };

interface MapPlan {
  run: RunSummary | null;
  key: FeatureKey;
  source: string;
  /** Images with features under key, by id, with names. */
  ids: Int32Array;
  names: string[];
  fingerprint: string;
  totalImages: number;
}

/** What would be projected, and its cache key. */
function plan(db: Db, req: MapRequest): MapPlan {
  const run = sourceRun(db, req);
  const backbone = run?.options.backbone ?? defaultBackbone();
  const key = featureKey(backbone, run ? prepOfRun(run.options) : {});
  const rows = imagesWithCacheState(db, key);
  const withFeatures = rows.filter((r) => r.cached !== null);
  const hash = createHash('sha256').update(METHOD_KEYS[req.method]);
  for (const r of withFeatures) hash.update(`${r.id}:${r.sha256}\n`);
  return {
    run,
    key,
    source: run ? `run:${run.id}` : `features:${key.backbone}:${key.weights}:${key.preprocessing}`,
    ids: Int32Array.from(withFeatures, (r) => r.id),
    names: withFeatures.map((r) => r.name),
    fingerprint: hash.digest('hex'),
    totalImages: rows.length,
  };
}

/** The run whose encoder the map shows (null: raw features). */
function sourceRun(db: Db, req: MapRequest): RunSummary | null {
  if (req.source === 'features') return null;
  const id = req.runId ?? latestFinishedRunId(db);
  if (id === null) {
    if (req.source === 'run') throw new AppError('NOT_FOUND', 'No finished training run yet: the map can show the raw features only.');
    return null;
  }
  const run = getRun(db, id);
  if (run?.status !== 'finished') throw new AppError('NOT_FOUND', `Run ${id} is not a finished run.`);
  return run;
}

/** The map from the cache, or with no points when no image has features and none are to be computed; else null. */
export function cachedMap(db: Db, req: MapRequest): MapProjection | null {
  const p = plan(db, req);
  if (p.ids.length === 0 && !req.computeFeatures) return reply(db, req, p, new Float32Array(0), true, 0);
  if (req.computeFeatures && p.ids.length < p.totalImages) return null;
  const hit = readProjection(db, p.source, METHOD_KEYS[req.method]);
  if (!hit || hit.fingerprint !== p.fingerprint) return null;
  const xy = new Float32Array(hit.xy.byteLength / 4);
  new Uint8Array(xy.buffer).set(hit.xy);
  return reply(db, req, p, xy, true, hit.seconds);
}

/** Computes (or reads from the cache) the map; projection runs in a worker with progress and cancel. */
export async function computeMap(db: Db, req: MapRequest, deps: MapDeps): Promise<MapProjection> {
  let unreadable: number | undefined;
  if (req.computeFeatures && !deps.readOnly) {
    const first = plan(db, req);
    const ensured = await ensureFeatures(db, first.key.backbone, { backend: first.run?.options.backend, prep: first.key.prep, signal: deps.signal, onProgress: deps.onProgress });
    // Said in the reply, so that "compute them" does not come back unexplained with nothing computed.
    unreadable = new Set(ensured.leftOut.map((i) => i.id)).size;
  }
  const withUnreadable = (m: MapProjection): MapProjection => (unreadable === undefined ? m : { ...m, unreadable });
  const cached = cachedMap(db, { ...req, computeFeatures: false });
  if (cached) return withUnreadable(cached);
  const p = plan(db, req);
  const features = loadFeatures(db, p.key, p.ids);
  const vectors = p.run ? embedAll(await deps.encoder(p.run.id), features) : new Map([...features].map(([id, v]) => [id, l2normalize(v)]));
  const dim = vectors.get(p.ids[0])!.length;
  const data = new Float32Array(p.ids.length * dim);
  p.ids.forEach((id, i) => data.set(vectors.get(id)!, i * dim));
  const started = performance.now();
  const xy = await project2d(req.method, data, p.ids.length, dim, {
    signal: deps.signal,
    onProgress: (q) => deps.onProgress?.({ phase: q.phase, done: q.done, total: q.total }),
  });
  const seconds = (performance.now() - started) / 1000;
  if (!deps.readOnly) {
    const blob = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeProjection(db, p.source, METHOD_KEYS[req.method], { fingerprint: p.fingerprint, ids: blob(p.ids), xy: blob(xy), seconds });
  }
  return withUnreadable(reply(db, req, p, xy, false, seconds));
}

function reply(db: Db, req: MapRequest, p: MapPlan, xy: Float32Array, cached: boolean, seconds: number): MapProjection {
  // Error rates come from the run shown, else the latest finished run (a raw-feature map after training).
  const colours = mapColours(db, p.ids, p.names, p.run?.id ?? latestFinishedRunId(db));
  // Ensembles join their members' embeddings.
  const dim = p.run ? p.run.options.embedding * (p.run.options.ensemble ?? 1) : backboneSpec(p.key.backbone).dim;
  return {
    method: req.method,
    source: { kind: p.run ? 'run' : 'features', runId: p.run?.id ?? null, backbone: p.key.backbone, dim },
    count: p.ids.length,
    totalImages: p.totalImages,
    ids: typedToBase64(p.ids),
    xy: typedToBase64(xy),
    names: p.names,
    folders: colours.folders,
    folder: colours.folder,
    split: colours.split,
    errorRate: typedToBase64(colours.errorRate),
    cached,
    seconds,
  };
}
