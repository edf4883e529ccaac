// The Train view's option fields, generated from the one table of train options
// (shared/train-options.ts): which fields show, which fold under "Advanced", and the plain-words
// message for a value the schema would refuse. OptionsForm.svelte renders these.
import { numberProblem, TRAIN_OPTION_LIST, type TrainOptionSpec } from '../../../shared/train-options.js';

/** Shown elsewhere in the form (backbone: its own picker with install actions) or a CLI-only concern. */
const NOT_FIELDS = new Set<string>(['backbone']);

/** The fields in table order, split into the main block and the folded advanced block. */
export function optionFields(): { main: TrainOptionSpec[]; advanced: TrainOptionSpec[] } {
  const fields = TRAIN_OPTION_LIST.filter((o) => !NOT_FIELDS.has(o.key));
  return { main: fields.filter((o) => !o.advanced), advanced: fields.filter((o) => o.advanced) };
}

/**
 * What is wrong with what the user typed, in plain words (null: fine). An empty optional field is
 * fine (the engine's default applies); an empty required one is not.
 */
export function fieldProblem(o: TrainOptionSpec, raw: string): string | null {
  if (o.kind !== 'number') return null;
  if (raw.trim() === '') return o.optional ? null : `${o.label} is needed.`;
  return numberProblem(o, Number(raw));
}
