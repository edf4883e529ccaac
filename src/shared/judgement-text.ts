// What the model makes of a triplet (TripletJudgement), in words shared by the CLI's `judge` and the
// app's triplet maker. Only what training computes is claimed: a triplet's loss is
// max(d(A,P) − d(A,N) + margin, 0), so one already right by the margin moves the model only through
// the triplets it implies with the other labels. Whether keeping only triplets with a loss teaches
// more depends on the set (bench/suggest-probe-hard.ts: more on flowers and on 11 kinds, less on
// trash), so the words do not advise either way.
import type { TripletJudgement } from './types.js';

/** The verdict for two distances under a margin. */
export function verdictOf(dAP: number, dAN: number, margin: number): TripletJudgement['verdict'] {
  if (!(dAP < dAN)) return 'wrong';
  return dAN - dAP < margin ? 'inside-margin' : 'learned';
}

/** The short label of a verdict (the maker's badge). */
export const VERDICT_LABEL: Record<TripletJudgement['verdict'], string> = {
  wrong: 'model wrong',
  'inside-margin': 'inside margin',
  learned: 'already learned',
};

export function judgementText(j: TripletJudgement): string {
  const d = `d(A,P) ${j.dAP.toFixed(2)}, d(A,N) ${j.dAN.toFixed(2)}`;
  if (j.verdict === 'wrong') return `Run ${j.run} has this the wrong way round (${d}): training on it moves these images (loss ${j.loss.toFixed(2)}).`;
  if (j.verdict === 'inside-margin') return `Run ${j.run} gets this right, but by less than its margin of ${j.margin} (${d}): training on it still moves these images (loss ${j.loss.toFixed(2)}).`;
  return `Run ${j.run} already gets this right by at least its margin of ${j.margin} (${d}): its loss is 0, so it teaches the model only through the triplets it implies with your other labels.`;
}
