// Suggestion worker: ranks candidate triplets (./suggest.ts) off the thread that answers the app,
// streaming progress (served through util/worker-serve.ts), and says how much of the pool the labels
// already decide (./coverage.ts, from the same grouping). Cancel terminates it; it writes nothing.
import { serveWorker } from '../../util/worker-serve.js';
import { unpackSuggestInput, type PackedSuggestInput, type RankResult, type SuggestProgress } from './rank.js';
import { suggestWithCoverage } from './suggest.js';

serveWorker<PackedSuggestInput, RankResult, SuggestProgress>((input, ctx) =>
  suggestWithCoverage(unpackSuggestInput(input), { signal: ctx.signal, onProgress: (done, total) => ctx.progress({ done, total }) }),
);
