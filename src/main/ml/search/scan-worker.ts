// One scan thread of a ScanPool: holds a view of the shared vectors and answers queries over its rows.
import { parentPort } from 'node:worker_threads';
import type { Distance } from '../../../shared/types.js';
import { workerInput } from '../../util/worker.js';
import { scanRange } from './knn.js';

export interface ScanWorkerInput {
  data: Float32Array;
  norms2: Float64Array;
  dim: number;
  from: number;
  to: number;
}

export type ToScanWorker = { id: number; query: Float32Array; kind: Distance; cap: number };
export type FromScanWorker = { id: number; rows: Int32Array; scores: Float64Array } | { id: number; error: string };

const input = workerInput<ScanWorkerInput>();
parentPort!.on('message', (msg: ToScanWorker) => {
  try {
    const r = scanRange(input, msg.query, msg.kind, msg.cap, input.from, input.to);
    parentPort!.postMessage({ id: msg.id, rows: r.rows, scores: r.scores } satisfies FromScanWorker, [r.rows.buffer as ArrayBuffer, r.scores.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) } satisfies FromScanWorker);
  }
});
