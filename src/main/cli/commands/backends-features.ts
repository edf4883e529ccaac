// `backends`: the feature engine per installed backbone, chosen by measurement (ml/features/engine-choice.ts):
// every candidate with its time or why it cannot run, then the choice and why.
import type { FeatureEngineChoice } from '../../../shared/types.js';
import { table } from '../output.js';

/** One candidate's status: used, its measured time, or why not. */
function status(f: FeatureEngineChoice, name: string, unavailable: string | undefined): string {
  const m = f.choice?.measured.find((x) => x.name === name);
  const ms = m?.ms !== undefined ? `${m.ms.toFixed(1)} ms per 8 images` : '';
  if (f.choice?.chosen === name) return `used${ms ? ` (${ms})` : ''}`;
  if (unavailable) return `unavailable: ${unavailable}`;
  if (m?.error) return m.error;
  return ms ? `measured: ${ms}` : 'available';
}

/** "<subject> on <chosen>: <why> (measured <when>; …)." — one wording for the training and the feature choices. */
export function choiceSentence(subject: string, c: { chosen: string; why: string; at: string; fromCache?: boolean }): string {
  return `${subject} on ${c.chosen}: ${c.why}${c.fromCache ? ` (measured ${c.at}; backends --measure times again)` : ''}.`;
}

/** The text block: a table per backbone, then "Features of X on Y: why.". */
export function featureChoiceText(choices: FeatureEngineChoice[]): string[] {
  return choices.flatMap((f) => [
    table([`feature engine (${f.backbone})`, 'status'], f.candidates.map((c) => [c.name, status(f, c.name, c.unavailable)])),
    f.choice
      ? choiceSentence(`Features of ${f.backbone}`, f.choice)
      : `Features of ${f.backbone}: ${f.note ?? 'no engine runs here'}.`,
    '',
  ]);
}
