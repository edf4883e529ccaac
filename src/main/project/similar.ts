// Similarity search over a project's images: the nearest neighbours of an image of the project, or of
// an image file from outside it (never added to the project), in one of two spaces:
//  - a finished run's encodings (what the app scores triplets with: embedAll, so an ensemble's joined
//    embedding) under the run's distance (l1, l2 or cosine);
//  - the raw backbone features before any training: L2 between L2-normalised features (the ranking
//    of cosine similarity), as the untrained baseline vectors (normalizedAll).
// The vectors of a space are packed once into one contiguous set (ml/search/knn.ts) and kept while
// the images and their cached features are unchanged (store/similar-reads.ts vectorSignature).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { READ_ONLY_FEATURES_HINT } from '../../shared/left-out.js';
import { AppError } from '../../shared/errors.js';
import type { Distance, RunSummary } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { defaultBackbone, type EncoderWeights } from '../ml/index.js';
import { nearest, vectorSetOf, type Hit, type VectorSet } from '../ml/search/knn.js';
import { ScanPool } from '../ml/search/scan-pool.js';
import type { Db } from '../store/db.js';
import { imageCount, imageNameReader, pathsAt } from '../store/images.js';
import { featureBlobBySha, vectorSignature } from '../store/similar-reads.js';
import { blobToFeatures, ensureFeatures, featureKey, loadFeatures, prepOfRun, type FeatureKey } from './features.js';
import { getRun, latestFinishedRunId } from './run-rows.js';
import { embedAll, normalizedAll } from './run-scoring.js';
import { featuresOfFile } from './similar-file.js';

/** What to find neighbours of. */
export type SimilarQuery = { imageId: number } | { file: string } | { bytes: Uint8Array; label?: string };

export interface SimilarOptions {
  k?: number;
  /** A finished run (default: the latest); with `raw`, its backbone and preprocessing are used. */
  runId?: number;
  /** Raw backbone features even when a run exists. */
  raw?: boolean;
  /** Compute the images' missing features first (default); false: search the cached ones only (the app starts a job instead). */
  ensure?: boolean;
  /** Compute an outside file's features even when an identical image's are cached (tests). */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

/** The space searched: which run (null = raw features), distance and width. */
export interface SimilarSpace {
  run: number | null;
  distance: Distance;
  dim: number;
  backbone: string;
}

export interface SimilarResult extends SimilarSpace {
  hits: Hit[];
  /** Images without a vector in the space (features not computed, or undecodable). */
  missing: number;
}

export interface SimilarContext {
  db: Db;
  readOnly: boolean;
  encoder(runId: number): Promise<EncoderWeights>;
}

interface Space extends SimilarSpace {
  set: VectorSet;
  key: FeatureKey;
  signature: string;
  encoder: EncoderWeights | null;
  /** Scan threads for a large set (in shared memory: see knn.ts vectorSetOf), else null. */
  pool: ScanPool | null;
}

/** Keeps the packed vectors of the last few spaces of one project. */
export class SimilarIndex {
  private readonly spaces = new Map<string, Space>();
  /** Spaces being built, so concurrent searches share one build. */
  private readonly building = new Map<string, Promise<Space>>();

  constructor(private readonly ctx: SimilarContext) {}

  /** Neighbours of the query, ascending by distance; an image of the project never finds itself. */
  async search(query: SimilarQuery, opts: SimilarOptions = {}): Promise<SimilarResult> {
    const space = await this.space(opts);
    const k = opts.k ?? 12;
    const missing = imageCount(this.ctx.db) - space.set.n;
    const base = { run: space.run, distance: space.distance, dim: space.dim, backbone: space.backbone, missing };
    // Searching the cached features only (the app computes the rest in a job), the query image's are not
    // there yet; else an image without features is an error that says why (queryVector).
    if (opts.ensure === false && 'imageId' in query && space.set.ids.indexOf(query.imageId) < 0) return { ...base, hits: [] };
    // No image has features: nothing to compare a file with (`missing` says how many lack them).
    if (space.set.n === 0 && !('imageId' in query)) return { ...base, hits: [] };
    const { vector, exclude } = await this.queryVector(space, query, opts);
    const hits = space.pool ? await space.pool.nearest(vector, k, space.distance, { exclude }) : nearest(space.set, vector, k, space.distance, { exclude });
    return { ...base, hits };
  }

  /** The vectors of images of the project in the space (null where an image has none: features not computed, or undecodable). */
  async vectorsOf(ids: readonly number[], opts: SimilarOptions = {}): Promise<{ space: SimilarSpace; vectors: (Float32Array | null)[] }> {
    const space = await this.space(opts);
    const vectors = ids.map((id) => {
      const row = space.set.ids.indexOf(id);
      return row < 0 ? null : space.set.data.subarray(row * space.dim, (row + 1) * space.dim);
    });
    return { space: { run: space.run, distance: space.distance, dim: space.dim, backbone: space.backbone }, vectors };
  }

  /** Computes the features a search in this space needs (the app's 'embed' job). */
  async ensureFeatures(opts: SimilarOptions = {}): Promise<void> {
    const run = this.runOf(opts);
    const key = featureKey(run?.options.backbone ?? defaultBackbone(), run ? prepOfRun(run.options) : {});
    await ensureFeatures(this.ctx.db, key.backbone, { signal: opts.signal, onProgress: opts.onProgress, backend: run?.options.backend, prep: key.prep });
  }

  private drop(name: string): void {
    this.spaces.get(name)?.pool?.dispose();
    this.spaces.delete(name);
  }

  /** Stops the scan threads and forgets every packed set (the project is closing). */
  dispose(): void {
    for (const name of [...this.spaces.keys()]) this.drop(name);
  }

  /** The given run (checked) or the latest finished one; raw features use its backbone and preprocessing. */
  private runOf(opts: SimilarOptions): RunSummary | null {
    const rid = opts.runId ?? latestFinishedRunId(this.ctx.db);
    const run = rid !== null ? getRun(this.ctx.db, rid) : null;
    if (opts.runId !== undefined && run?.status !== 'finished') throw new AppError('NOT_FOUND', `Run ${opts.runId} is not a finished run.`);
    return run;
  }

  private async space(opts: SimilarOptions): Promise<Space> {
    const run = this.runOf(opts);
    const backbone = run?.options.backbone ?? defaultBackbone();
    const key = featureKey(backbone, run ? prepOfRun(run.options) : {});
    const useRun = run && !opts.raw ? run : null;
    const name = `${useRun?.id ?? 'raw'}|${key.backbone}|${key.weights}|${key.preprocessing}`;
    const cached = this.spaces.get(name);
    if (cached && cached.signature === vectorSignature(this.ctx.db, key)) return cached;
    let build = this.building.get(name);
    if (!build) {
      build = this.build(name, run, useRun, key, opts).finally(() => this.building.delete(name));
      this.building.set(name, build);
    }
    return build;
  }

  private async build(name: string, run: RunSummary | null, useRun: RunSummary | null, key: FeatureKey, opts: SimilarOptions): Promise<Space> {
    const backbone = key.backbone;
    if (!this.ctx.readOnly && opts.ensure !== false) await ensureFeatures(this.ctx.db, backbone, { signal: opts.signal, onProgress: opts.onProgress, backend: run?.options.backend, prep: key.prep });
    const signature = vectorSignature(this.ctx.db, key);
    const features = loadFeatures(this.ctx.db, key);
    const encoder = useRun ? await this.ctx.encoder(useRun.id) : null;
    // Raw features are normalised while packed (as normalizedAll, without a second copy of a large set).
    const set = encoder ? vectorSetOf(embedAll(encoder, features)) : vectorSetOf(features, { normalize: true });
    const pool = set.data.buffer instanceof SharedArrayBuffer ? new ScanPool(set) : null;
    const space: Space = { run: useRun?.id ?? null, distance: useRun?.options.distance ?? 'l2', dim: set.dim, backbone, set, key, signature, encoder, pool };
    this.drop(name);
    this.spaces.set(name, space);
    // A raw 2048-d set of 100k images is 800 MB: keep only the two most recent spaces.
    while (this.spaces.size > 2) this.drop(this.spaces.keys().next().value!);
    return space;
  }

  /** The query's vector in the space, and the ids to leave out (the query image itself). */
  private async queryVector(space: Space, query: SimilarQuery, opts: SimilarOptions): Promise<{ vector: Float32Array; exclude?: Set<number> }> {
    if ('imageId' in query) {
      const row = space.set.ids.indexOf(query.imageId);
      if (row < 0) {
        const name = imageNameReader(this.ctx.db)(query.imageId) ?? query.imageId;
        const why = this.ctx.readOnly ? `not computed yet, or its file is missing. ${READ_ONLY_FEATURES_HINT}` : 'its file is missing or could not be decoded.';
        throw new AppError('NOT_FOUND', `Image "${name}" has no features: ${why}`);
      }
      return { vector: space.set.data.slice(row * space.dim, (row + 1) * space.dim), exclude: new Set([query.imageId]) };
    }
    const bytes = 'file' in query ? await readFile(query.file).catch(() => null) : query.bytes;
    const sha = bytes ? createHash('sha256').update(bytes).digest('hex') : null;
    const feats = await this.outsideFeatures(space.key, query, sha, opts);
    const one = new Map([[0, feats]]);
    const vectors = space.encoder ? embedAll(space.encoder, one) : normalizedAll(one);
    const own = 'file' in query && sha ? this.ownImageAt(query.file, sha) : undefined;
    return { vector: vectors.get(0)!, exclude: own === undefined ? undefined : new Set([own]) };
  }

  /**
   * A path to one of the project's own files, unchanged since import, is that image: it is left out
   * of its own neighbours as a name is. A copy elsewhere is another file and finds its twin at 0.
   */
  private ownImageAt(file: string, sha: string): number | undefined {
    return pathsAt(this.ctx.db, resolve(file)).find((p) => p.sha256 === sha)?.image_id;
  }

  /** Features of a file from outside the project: cached ones for a known content (`sha`), else computed. */
  private async outsideFeatures(key: FeatureKey, query: { file: string } | { bytes: Uint8Array; label?: string }, sha: string | null, opts: SimilarOptions): Promise<Float32Array> {
    if (!opts.fresh && sha) {
      const blob = featureBlobBySha(this.ctx.db, key, sha);
      if (blob) return blobToFeatures(blob);
    }
    return featuresOfFile(key, query, opts.signal);
  }
}
