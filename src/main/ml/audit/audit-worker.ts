// Audit worker: initialises the backend and runs the cross-validated fold models (cv-margins.ts)
// off the main thread, streaming progress (served through util/worker-serve.ts).
import { serveWorker } from '../../util/worker-serve.js';
import { initBackend } from '../backend/tfjs.js';
import { tfjsBackendOf } from '../encoder/engine.js';
import { cvMargins, type CvMarginsInput, type CvProgress } from './cv-margins.js';

export interface AuditWorkerResult {
  margins: Float64Array;
  backend: string;
}

serveWorker<CvMarginsInput, AuditWorkerResult, CvProgress>(
  async (input, ctx) => {
    const { used } = await initBackend(tfjsBackendOf(input.options.backend));
    const margins = await cvMargins(input, (p) => ctx.progress(p));
    return { margins, backend: used };
  },
  (r) => [r.margins.buffer as ArrayBuffer],
);
