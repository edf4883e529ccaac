// `encode`: every image's encoding by a finished run, exactly the vectors the app scores and searches
// with (embedAll of the cached features: for an ensemble, the members' unit embeddings joined and
// scaled by 1/√members), written as CSV or NPY for use outside the app.
import { AppError } from '../../shared/errors.js';
import type { EncodeReport } from '../../shared/types.js';
import type { EncoderWeights } from '../ml/index.js';
import type { Db } from '../store/db.js';
import { listImagesWithPaths } from '../store/images.js';
import { ensureFeatures, featureKey, loadFeatures, prepOfRun } from './features.js';
import type { ProgressFn } from '../jobs/progress.js';
import { matrixFiles, writeMatrix } from './matrix-files.js';
import { assertFileTarget } from '../util/file-target.js';
import { getRun, latestFinishedRunId } from './run-rows.js';
import { embedAll } from './run-scoring.js';

export type { EncodeReport };

export interface EncodeContext {
  db: Db;
  readOnly: boolean;
  encoder(runId: number): Promise<EncoderWeights>;
}

/** The run to use: the given finished one, else the latest finished. */
export function finishedRun(db: Db, runId?: number) {
  const id = runId ?? latestFinishedRunId(db);
  const run = id === null ? null : getRun(db, id);
  if (!run || run.status !== 'finished') throw new AppError('NOT_FOUND', runId === undefined ? 'There is no finished run yet: train first.' : `Run ${runId} is not a finished run.`);
  return run;
}

/** Every image's encoding by the run, in image id order, with the names. */
export async function encodeAllImages(ctx: EncodeContext, runId?: number, opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {}) {
  const run = finishedRun(ctx.db, runId);
  const key = featureKey(run.options.backbone, prepOfRun(run.options));
  if (!ctx.readOnly) await ensureFeatures(ctx.db, run.options.backbone, { prep: key.prep, backend: run.options.backend, signal: opts.signal, onProgress: opts.onProgress });
  const features = loadFeatures(ctx.db, key);
  const images = listImagesWithPaths(ctx.db);
  const have = images.filter((i) => features.has(i.id));
  const vectors = embedAll(await ctx.encoder(run.id), new Map(have.map((i) => [i.id, features.get(i.id)!])));
  const dim = vectors.size ? vectors.values().next().value!.length : 0;
  const data = new Float32Array(have.length * dim);
  have.forEach((img, i) => data.set(vectors.get(img.id)!, i * dim));
  return { run, names: have.map((i) => i.name), data, dim, leftOut: images.filter((i) => !features.has(i.id)).map((i) => i.name) };
}

/** Refuses an encodings file that is neither .csv nor .npy, before any work. */
export function checkEncodingsFile(file: string): void {
  if (!/\.(npy|csv)$/i.test(file)) throw new AppError('BAD_ARGUMENTS', `${file}: the output must end in .csv or .npy.`);
  for (const f of matrixFiles(file)) assertFileTarget(f); // before the work, not when writing
}

type Encoded = Awaited<ReturnType<typeof encodeAllImages>>;

/** Writes computed encodings to `file` (.npy + .names.txt or .csv), each file whole or not at all. */
export function writeEncodings(e: Encoded, file: string): EncodeReport {
  const files = writeMatrix(file, e.names, e.data, e.dim);
  return { run: e.run.id, files, images: e.names.length, dim: e.dim, distance: e.run.options.distance, leftOut: e.leftOut };
}

/** Writes every image's encoding to `file` (.npy or .csv). */
export async function encodeToFile(ctx: EncodeContext, file: string, runId?: number, opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {}): Promise<EncodeReport> {
  checkEncodingsFile(file);
  return writeEncodings(await encodeAllImages(ctx, runId, opts), file);
}
