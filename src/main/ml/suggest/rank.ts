// Ranks suggestions in a worker thread (./suggest-worker.ts), so the thread that answers the app
// stays free: the inputs are packed into typed arrays (one copy, no per-image objects), progress is
// streamed back, and a cancel terminates the worker (it writes nothing).
import type { LabelCoverage } from '../../../shared/types.js';
import { callWorker } from '../../util/worker-rpc.js';
import type { Triplet } from '../encoder/distances.js';
import type { SuggestControl, SuggestInput, Suggestion } from './suggest.js';

/** SuggestInput as it crosses to the worker. */
export interface PackedSuggestInput extends Omit<SuggestInput, 'pool' | 'vectors' | 'train' | 'skip'> {
  pool: Int32Array;
  /** Image ids of `data`'s rows. */
  ids: Int32Array;
  /** ids.length × dim vectors, row-major. */
  data: Float32Array;
  dim: number;
  /** [a0, p0, n0, …] */
  train: Int32Array;
  skip: string[];
}

/** What the worker returns: the suggestions and the labels' coverage of the pool (one grouping for both). */
export interface RankResult {
  suggestions: Suggestion[];
  coverage: LabelCoverage;
}

export interface SuggestProgress {
  done: number;
  total: number;
}

export function packSuggestInput(input: SuggestInput): PackedSuggestInput {
  const ids = [...input.vectors.keys()];
  const dim = ids.length ? input.vectors.get(ids[0])!.length : 0;
  const data = new Float32Array(ids.length * dim);
  ids.forEach((id, i) => data.set(input.vectors.get(id)!, i * dim));
  const { pool, vectors: _v, train, skip, ...rest } = input;
  return { ...rest, pool: Int32Array.from(pool), ids: Int32Array.from(ids), data, dim, train: Int32Array.from(train.flat()), skip: [...skip] };
}

export function unpackSuggestInput(p: PackedSuggestInput): SuggestInput {
  const { ids, data, dim, pool, train, skip, ...rest } = p;
  const vectors = new Map<number, Float32Array>();
  ids.forEach((id, i) => vectors.set(id, data.subarray(i * dim, (i + 1) * dim)));
  const triplets: Triplet[] = [];
  for (let t = 0; t < train.length; t += 3) triplets.push([train[t], train[t + 1], train[t + 2]]);
  return { ...rest, pool: [...pool], vectors, train: triplets, skip: new Set(skip) };
}

const WORKER_URL = new URL('./suggest-worker.js', import.meta.url);

/** suggestWithCoverage (./suggest.ts) run in a worker: same result, progress, cancel = AbortError. */
export function rankSuggestions(input: SuggestInput, control: SuggestControl = {}): Promise<RankResult> {
  control.signal?.throwIfAborted();
  const packed = packSuggestInput(input);
  return callWorker<RankResult, SuggestProgress>(WORKER_URL, packed, {
    name: 'Suggestion worker',
    errorPrefix: 'Ranking suggestions failed: ',
    signal: control.signal,
    onProgress: (p) => control.onProgress?.(p.done, p.total),
    // The vectors are moved, not copied (the packed copy is the worker's alone).
    workerOptions: { transferList: [packed.data.buffer as ArrayBuffer] },
  });
}
