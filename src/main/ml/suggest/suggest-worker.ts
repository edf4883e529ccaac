// Suggestion worker: ranks candidate triplets (./suggest.ts) off the thread that answers the app,
// streaming progress (served through util/worker-serve.ts). Cancel terminates it; it writes nothing.
import { serveWorker } from '../../util/worker-serve.js';
import { unpackSuggestInput, type PackedSuggestInput, type SuggestProgress } from './rank.js';
import { suggestTriplets, type Suggestion } from './suggest.js';

serveWorker<PackedSuggestInput, Suggestion[], SuggestProgress>((input, ctx) =>
  suggestTriplets(unpackSuggestInput(input), { signal: ctx.signal, onProgress: (done, total) => ctx.progress({ done, total }) }),
);
