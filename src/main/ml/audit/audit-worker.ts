// Audit worker: initialises the backend and trains its share of the cross-validated fold models
// (cv-margins.ts) off the main thread, streaming progress (served through util/worker-serve.ts).
// score.ts runs one per core (up to 4), each with its own fold models.
import { serveWorker } from '../../util/worker-serve.js';
import { initBackend } from '../backend/tfjs.js';
import { tfjsBackendOf } from '../encoder/engine.js';
import { scoreFolds, type CvMarginsInput, type CvProgress, type FoldJob, type FoldScores } from './cv-margins.js';

export interface AuditWorkerInput {
  input: CvMarginsInput;
  jobs: FoldJob[];
}

export interface AuditWorkerResult {
  scores: FoldScores[];
  backend: string;
}

serveWorker<AuditWorkerInput, AuditWorkerResult, CvProgress>(
  async ({ input, jobs }, ctx) => {
    const { used } = await initBackend(tfjsBackendOf(input.options.backend));
    const scores = await scoreFolds(input, jobs, (p) => ctx.progress(p));
    return { scores, backend: used };
  },
  (r) => r.scores.flatMap((s) => [s.held.buffer, s.margins.buffer, s.votes.buffer] as ArrayBuffer[]),
);
