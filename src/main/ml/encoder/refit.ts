// Validate, then refit: the epoch count is chosen on image-disjoint validation (which trains on the
// triplets that avoid the held-out images only), then a second model is trained on every train
// triplet for that many epochs and kept. The run's curve and best epoch are the validation pass's.
import { type FitCallbacks, type FitInput, type FitResult, fitEncoder } from './fit.js';

export interface RefitResult extends FitResult {
  /** Seconds of the second pass (0 when there was none). */
  refitSeconds: number;
}

/** fitEncoder, followed by the refit pass when options.refit is set and validation held something out. */
export async function fitWithRefit(input: FitInput, cb: FitCallbacks & { onRefitProgress?(done: number, total: number): void } = {}): Promise<RefitResult> {
  const first = await fitEncoder(input, cb);
  if (!input.options.refit || first.valCount === 0) return { ...first, refitSeconds: 0 };
  const second = await fitEncoder(
    { ...input, options: { ...input.options, validationSplit: 0, epochs: first.bestEpoch, seed: first.seed } },
    { signal: cb.signal, onProgress: (p) => cb.onRefitProgress?.((p.epoch - 1) * p.batches + p.batch, p.epochs * p.batches) },
  );
  return { ...first, weights: second.weights, trainCount: second.trainCount, seconds: first.seconds + second.seconds, refitSeconds: second.seconds };
}
