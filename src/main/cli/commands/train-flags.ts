// The CLI flags of `train`, generated from the one table of train options (shared/train-options.ts):
// same names, help, defaults, choices and limits as the schema and the Train view's form.
import { InvalidArgumentError, Option } from 'commander';
import { describeRange, numberProblem, TRAIN_OPTION_LIST, type NumberOption, type TrainOptionSpec } from '../../../shared/train-options.js';

/** Parses a number flag and refuses it, in the table's words, when it is out of range. */
export function tableNumberArg(o: NumberOption): (v: string) => number {
  return (v) => {
    const n = v.trim() === '' ? NaN : Number(v);
    const problem = numberProblem(o, n);
    if (problem) throw new InvalidArgumentError(`--${o.flag}: ${problem}`);
    return n;
  };
}

/** "(default 24, 1–10000)" style suffix of a flag's help. */
function helpSuffix(o: TrainOptionSpec): string {
  const parts: string[] = [];
  if (o.default !== undefined) parts.push(`default ${String(o.default)}`);
  if (o.kind === 'number' && describeRange(o)) parts.push(describeRange(o));
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The commander option of one table entry. */
export function flagOf(o: TrainOptionSpec): Option {
  const help = `${o.help}${helpSuffix(o)}`;
  switch (o.kind) {
    case 'number':
      return new Option(`--${o.flag} <${o.integer ? 'n' : 'x'}>`, help).argParser(tableNumberArg(o));
    case 'choice':
      return new Option(`--${o.flag} <${o.key === 'backend' ? 'name' : o.key === 'resize' ? 'mode' : 'kind'}>`, help).choices(o.choices.map((c) => c.value));
    case 'text':
      return new Option(`--${o.flag} <id>`, help);
    case 'boolean':
      return new Option(`--${o.flag}`, help);
  }
}

/** Every train option as a commander option, in table order. */
export function trainFlags(): Option[] {
  return TRAIN_OPTION_LIST.map(flagOf);
}
