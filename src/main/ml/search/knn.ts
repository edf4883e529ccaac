// Exact k nearest neighbours by a scan over one contiguous Float32Array (row-major, n × dim).
//
// Why a scan and not an index library: the result must be exact; exact index structures (k-d trees,
// ball trees) do not beat a scan at these widths, and approximate ones (HNSW, IVF) are not exact.
// Measured (bench/neighbours.ts, 100k vectors, k = 20): 20-d p50 ≈ 1–10 ms, p95 ≈ 20–30 ms on the
// shared 2-core machine; a 100k × 2048-d pass ≈ 0.19 s on one idle core (0.5–0.8 s while other jobs
// loaded the machine to 15–20), hence scan-pool.ts for large sets.
//
// How: rows are scored eight (L1: four) at a time against the query (each query value is loaded once
// per block of rows, and independent sums keep the CPU busy), by a cheap "proxy" with the same order as the
// distance (L2: |x|² − 2 q·x with |x|² precomputed; cosine: −q·x/|x|; L1: Σ|q−x| itself), into a
// bounded max-heap of the best candidates (most rows cost one comparison). The few candidates are
// then re-scored with the exact distance function the app uses (encoder/distances.ts), so the
// distances returned are bit-for-bit the ones scoring uses.
import type { Distance } from '../../../shared/types.js';
import { distance } from '../encoder/distances.js';

/** n vectors of `dim` values, row i at data[i·dim …]; ids[i] names row i. */
export interface VectorSet {
  readonly ids: Int32Array;
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
  /** Squared Euclidean norm of each row (computed once by vectorSet). */
  readonly norms2: Float64Array;
}

export interface Hit {
  id: number;
  distance: number;
}

/** Sets of at least this many bytes live in shared memory (scanned by several threads). */
export const SHARED_FROM_BYTES = 8 << 20;

/** Packs vectors into one contiguous set (and computes the row norms once). */
export function vectorSet(ids: ArrayLike<number>, data: Float32Array, dim: number): VectorSet {
  const n = ids.length;
  if (data.length < n * dim) throw new Error(`vectorSet: ${data.length} values for ${n}×${dim}`);
  const norms2 = new Float64Array(data.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * dim;
    for (let j = 0; j < dim; j++) s += data[o + j] * data[o + j];
    norms2[i] = s;
  }
  return { ids: Int32Array.from(ids), data: data.subarray(0, n * dim), n, dim, norms2 };
}

/**
 * Builds a set from a Map of vectors (in the Map's order). `normalize`: each row scaled to unit
 * length on the way in, exactly as encoder/distances.ts l2normalize does (no second copy of a large
 * raw-feature set).
 */
export function vectorSetOf(vectors: Map<number, Float32Array>, opts: { normalize?: boolean } = {}): VectorSet {
  const ids = [...vectors.keys()];
  const dim = ids.length ? vectors.get(ids[0])!.length : 0;
  // Large sets go to shared memory, so scan threads (scan-pool.ts) read them without a copy.
  const bytes = ids.length * dim * 4;
  const data = new Float32Array(bytes >= SHARED_FROM_BYTES ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  ids.forEach((id, i) => {
    const v = vectors.get(id)!;
    if (!opts.normalize) return data.set(v, i * dim);
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[j] * v[j];
    if (s === 0) return; // a zero vector stays zero
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) data[i * dim + j] = v[j] * inv;
  });
  return vectorSet(ids, data, dim);
}

/** A bounded max-heap of (score, row): keeps the `cap` smallest scores seen. */
class TopK {
  readonly score: Float64Array;
  readonly row: Int32Array;
  size = 0;
  constructor(readonly cap: number) {
    this.score = new Float64Array(cap);
    this.row = new Int32Array(cap);
  }
  /** The worst score kept (Infinity until full): a row must beat it to get in. */
  get bound(): number {
    return this.size < this.cap ? Infinity : this.score[0];
  }
  push(s: number, r: number): void {
    if (this.size < this.cap) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.score[p] >= s) break;
        this.score[i] = this.score[p];
        this.row[i] = this.row[p];
        i = p;
      }
      this.score[i] = s;
      this.row[i] = r;
      return;
    }
    if (s >= this.score[0]) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && this.score[l + 1] > this.score[l] ? l + 1 : l;
      if (this.score[c] <= s) break;
      this.score[i] = this.score[c];
      this.row[i] = this.row[c];
      i = c;
    }
    this.score[i] = s;
    this.row[i] = r;
  }
}

/** Four rows' dot products with q at once (rows r..r+3), into out[0..3]. */
function dot4(q: Float32Array, x: Float32Array, r: number, dim: number, out: Float64Array): void {
  let a = 0, b = 0, c = 0, d = 0;
  const o0 = r * dim, o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim;
  for (let j = 0; j < dim; j++) {
    const v = q[j];
    a += v * x[o0 + j];
    b += v * x[o1 + j];
    c += v * x[o2 + j];
    d += v * x[o3 + j];
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

/** Eight rows' dot products with q at once (rows r..r+7): fewer loads of q per row (measured ~20% faster than four at 2048-d). */
function dot8(q: Float32Array, x: Float32Array, r: number, dim: number, out: Float64Array): void {
  let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
  const o0 = r * dim, o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim, o4 = o3 + dim, o5 = o4 + dim, o6 = o5 + dim, o7 = o6 + dim;
  for (let j = 0; j < dim; j++) {
    const v = q[j];
    a += v * x[o0 + j];
    b += v * x[o1 + j];
    c += v * x[o2 + j];
    d += v * x[o3 + j];
    e += v * x[o4 + j];
    f += v * x[o5 + j];
    g += v * x[o6 + j];
    h += v * x[o7 + j];
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
  out[4] = e;
  out[5] = f;
  out[6] = g;
  out[7] = h;
}

/** Four rows' L1 distances to q at once. */
function l1x4(q: Float32Array, x: Float32Array, r: number, dim: number, out: Float64Array): void {
  let a = 0, b = 0, c = 0, d = 0;
  const o0 = r * dim, o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim;
  for (let j = 0; j < dim; j++) {
    const v = q[j];
    a += Math.abs(v - x[o0 + j]);
    b += Math.abs(v - x[o1 + j]);
    c += Math.abs(v - x[o2 + j]);
    d += Math.abs(v - x[o3 + j]);
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

function dot1(q: Float32Array, x: Float32Array, r: number, dim: number): number {
  let s = 0;
  const o = r * dim;
  for (let j = 0; j < dim; j++) s += q[j] * x[o + j];
  return s;
}

function l1one(q: Float32Array, x: Float32Array, r: number, dim: number): number {
  let s = 0;
  const o = r * dim;
  for (let j = 0; j < dim; j++) s += Math.abs(q[j] - x[o + j]);
  return s;
}

/** The ordering proxy of a row from its dot product (or L1 sum): smaller is nearer. */
function proxyOf(kind: Distance, v: number, norm2: number): number {
  if (kind === 'l2') return norm2 - 2 * v; // |q−x|² − |q|²
  if (kind === 'cosine') return norm2 > 0 ? -v / Math.sqrt(norm2) : 0; // (1 − cos)·|q| − |q|
  return v;
}

export interface NearestOptions {
  /** Rows whose id is in this set are skipped (the query image itself). */
  exclude?: ReadonlySet<number>;
}

/**
 * The `cap` best rows of [from, to) by the ordering proxy (smaller is nearer), unsorted: the heap's
 * rows and proxy scores. The part of a scan one thread does (scan-pool.ts splits the rows).
 */
export function scanRange(set: Pick<VectorSet, 'data' | 'dim' | 'norms2'>, query: Float32Array, kind: Distance, cap: number, from: number, to: number): { rows: Int32Array; scores: Float64Array } {
  const { data, dim, norms2 } = set;
  const heap = new TopK(Math.max(1, Math.min(cap, to - from)));
  const four = new Float64Array(8);
  const l1 = kind === 'l1';
  let r = from;
  if (!l1) {
    for (; r + 7 < to; r += 8) {
      dot8(query, data, r, dim, four);
      for (let t = 0; t < 8; t++) {
        const s = proxyOf(kind, four[t], norms2[r + t]);
        if (s < heap.bound) heap.push(s, r + t);
      }
    }
  }
  for (; r + 3 < to; r += 4) {
    if (l1) l1x4(query, data, r, dim, four);
    else dot4(query, data, r, dim, four);
    for (let t = 0; t < 4; t++) {
      const s = l1 ? four[t] : proxyOf(kind, four[t], norms2[r + t]);
      if (s < heap.bound) heap.push(s, r + t);
    }
  }
  for (; r < to; r++) {
    const s = l1 ? l1one(query, data, r, dim) : proxyOf(kind, dot1(query, data, r, dim), norms2[r]);
    if (s < heap.bound) heap.push(s, r);
  }
  return { rows: heap.row.slice(0, heap.size), scores: heap.score.slice(0, heap.size) };
}

/** Candidates per query: a few spare ones absorb proxy rounding (proxy and exact distance differ by ~1e-12). */
export const candidatesFor = (k: number, excluded: number): number => k + 4 + excluded;

/** Exact distances of candidate rows, the excluded ids dropped, ascending (ties by id), the first k. */
export function rescore(set: VectorSet, query: Float32Array, kind: Distance, rows: ArrayLike<number>, k: number, exclude?: ReadonlySet<number> | null): Hit[] {
  const { data, dim, ids } = set;
  const hits: Hit[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const id = ids[row];
    if (exclude?.has(id)) continue;
    hits.push({ id, distance: distance(kind, query, data.subarray(row * dim, (row + 1) * dim)) });
  }
  hits.sort((a, b) => a.distance - b.distance || a.id - b.id);
  return hits.slice(0, k);
}

/**
 * The k rows nearest to `query` under `kind`, ascending by distance (ties by id), with the exact
 * distances of encoder/distances.ts. k larger than the set returns every row.
 */
export function nearest(set: VectorSet, query: Float32Array, k: number, kind: Distance, opts: NearestOptions = {}): Hit[] {
  if (query.length !== set.dim) throw new Error(`nearest: query has ${query.length} values, the vectors ${set.dim}`);
  if (k <= 0 || set.n === 0) return [];
  const ex = opts.exclude && opts.exclude.size ? opts.exclude : null;
  const { rows } = scanRange(set, query, kind, candidatesFor(k, ex?.size ?? 0), 0, set.n);
  return rescore(set, query, kind, rows, k, ex);
}

/** The reference: every distance, fully sorted (for tests and the benchmark's baseline). */
export function nearestNaive(vectors: Map<number, Float32Array>, query: Float32Array, k: number, kind: Distance, exclude?: ReadonlySet<number>): Hit[] {
  const all = [...vectors].filter(([id]) => !exclude?.has(id)).map(([id, v]) => ({ id, distance: distance(kind, query, v) }));
  all.sort((a, b) => a.distance - b.distance || a.id - b.id);
  return all.slice(0, k);
}
