// The exact scan of knn.ts split over threads: each worker scans a contiguous share of the rows of a
// set in shared memory (no copy) and returns its best candidates; the caller merges them and
// re-scores exactly (knn.ts rescore), so the result is the same as nearest()'s. Used for large sets
// (a 100k × 2048 raw-feature set takes ~0.2 s on one core), which also keeps the scan off the thread
// that answers the app. Workers are unref'd between queries, so an idle pool never keeps a process alive.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Distance } from '../../../shared/types.js';
import { startWorker } from '../../util/worker.js';
import { candidatesFor, nearest, rescore, type Hit, type NearestOptions, type VectorSet } from './knn.js';
import type { FromScanWorker, ScanWorkerInput, ToScanWorker } from './scan-worker.js';

const WORKER_URL = new URL('./scan-worker.js', import.meta.url);

interface Pending {
  left: number;
  rows: Int32Array[];
  resolve: (rows: Int32Array[]) => void;
  reject: (err: Error) => void;
}

export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private inFlight = 0;
  private closing = false;

  /** `threads` workers over the set (default: one per core); the set must be in shared memory. */
  constructor(
    readonly set: VectorSet,
    threads = availableParallelism(),
  ) {
    if (!(set.data.buffer instanceof SharedArrayBuffer)) throw new Error('ScanPool: the vectors must be in shared memory');
    const t = Math.max(1, Math.min(threads, Math.ceil(set.n / 1024)));
    const per = Math.ceil(set.n / t);
    for (let i = 0; i < t; i++) {
      const input: ScanWorkerInput = { data: set.data, norms2: set.norms2, dim: set.dim, from: i * per, to: Math.min(set.n, (i + 1) * per) };
      const w = startWorker(WORKER_URL, input);
      w.unref();
      w.on('message', (m: FromScanWorker) => this.onMessage(m));
      // A thread that fails or exits breaks the pool: queries in flight fail, later ones scan in this thread.
      w.on('error', (err) => this.broken(err));
      w.on('exit', () => this.broken(new Error('scan worker exited')));
      this.workers.push(w);
    }
  }

  /** As nearest(set, query, k, kind, opts), computed by the pool's threads. */
  async nearest(query: Float32Array, k: number, kind: Distance, opts: NearestOptions = {}): Promise<Hit[]> {
    if (query.length !== this.set.dim) return nearest(this.set, query, k, kind, opts); // its error message
    if (k <= 0 || this.set.n === 0) return [];
    if (this.closing) return nearest(this.set, query, k, kind, opts);
    const ex = opts.exclude && opts.exclude.size ? opts.exclude : null;
    const cap = candidatesFor(k, ex?.size ?? 0);
    const id = this.nextId++;
    if (this.inFlight++ === 0) this.workers.forEach((w) => w.ref());
    try {
      const parts = await new Promise<Int32Array[]>((resolve, reject) => {
        this.pending.set(id, { left: this.workers.length, rows: [], resolve, reject });
        for (const w of this.workers) w.postMessage({ id, query, kind, cap } satisfies ToScanWorker);
      });
      const all = new Int32Array(parts.reduce((a, p) => a + p.length, 0));
      let o = 0;
      for (const p of parts) (all.set(p, o), (o += p.length));
      return rescore(this.set, query, kind, all, k, ex);
    } finally {
      if (--this.inFlight === 0) {
        this.workers.forEach((w) => w.unref());
        if (this.closing) this.terminate();
      }
    }
  }

  private onMessage(m: FromScanWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('error' in m) {
      this.pending.delete(m.id);
      p.reject(new Error(`scan worker: ${m.error}`));
      return;
    }
    p.rows.push(m.rows);
    if (--p.left === 0) {
      this.pending.delete(m.id);
      p.resolve(p.rows);
    }
  }

  private broken(err: Error): void {
    this.closing = true;
    this.failAll(err);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Stops the threads once the queries in flight are answered. */
  dispose(): void {
    this.closing = true;
    if (this.inFlight === 0) this.terminate();
  }

  private terminate(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
