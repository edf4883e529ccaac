// The train options, described once: per option its label, help, default, limits and whether it is
// advanced. The zod schema (IPC `train` requests, ml/encoder/train.ts, project/runs.ts), the Train view's
// form (renderer views/train/OptionsForm.svelte) and the CLI flags of `train` (cli/commands/train.ts)
// are all generated from TRAIN_OPTIONS, so they cannot disagree on limits or defaults.
// The defaults were chosen by cross-validation: the measurements are in src/main/ml/defaults.ts.
import { z } from 'zod';
import type { TrainOptions } from './types.js';

interface Base<K extends keyof TrainOptions> {
  key: K;
  /** Label in the form (and in the run comparison). */
  label: string;
  /** One line of help: the form's hint and the CLI flag's description. */
  help: string;
  /** CLI flag name without `--`. */
  flag: string;
  /** Folded under "Advanced" in the form. */
  advanced: boolean;
  /** Optional in TrainOptions (absent: the engine's behaviour for "none"). */
  optional: boolean;
}

export interface NumberOption<K extends keyof TrainOptions = keyof TrainOptions> extends Base<K> {
  kind: 'number';
  default?: number;
  integer: boolean;
  min?: number;
  /** The minimum itself is refused (a learning rate must be > 0). */
  minExclusive?: boolean;
  max?: number;
  /** Step of the form's number input. */
  step: number;
}

export interface ChoiceOption<K extends keyof TrainOptions = keyof TrainOptions> extends Base<K> {
  kind: 'choice';
  default?: string;
  choices: readonly { value: string; label: string }[];
}

export interface TextOption<K extends keyof TrainOptions = keyof TrainOptions> extends Base<K> {
  kind: 'text';
  default?: string;
  maxLength: number;
}

export interface BooleanOption<K extends keyof TrainOptions = keyof TrainOptions> extends Base<K> {
  kind: 'boolean';
  default?: boolean;
}

export type TrainOptionSpec = NumberOption | ChoiceOption | TextOption | BooleanOption;

const num = <K extends keyof TrainOptions>(o: Omit<NumberOption<K>, 'kind' | 'optional' | 'advanced'> & { optional?: boolean; advanced?: boolean }): NumberOption<K> => ({
  kind: 'number',
  optional: false,
  advanced: false,
  ...o,
});

/** Every train option, in form order. Defaults: chosen by cross-validation (src/main/ml/defaults.ts). */
export const TRAIN_OPTIONS = {
  backbone: { kind: 'text', key: 'backbone', label: 'Backbone', flag: 'backbone', help: 'backbone id (see `triplet-studio backends`; default: this one when installed, else the installed one)', default: 'mobilenet_v1_0.75_224', maxLength: 100, advanced: false, optional: false } satisfies TextOption<'backbone'>,
  distance: {
    kind: 'choice',
    key: 'distance',
    label: 'Distance',
    flag: 'distance',
    help: 'distance between embeddings',
    default: 'l2',
    choices: [
      { value: 'l1', label: 'Manhattan (L1)' },
      { value: 'l2', label: 'Euclidean (L2)' },
      { value: 'cosine', label: 'Cosine' },
    ],
    advanced: false,
    optional: false,
  } satisfies ChoiceOption<'distance'>,
  resize: {
    kind: 'choice',
    key: 'resize',
    label: 'Resize',
    flag: 'resize',
    help: "image resize: 'nearest' = Keras load_img (PIL NEAREST), 'antialias' = bilinear (default: the backbone's; part of the feature-cache key)",
    choices: [
      { value: 'nearest', label: 'Nearest (Keras)' },
      { value: 'antialias', label: 'Antialiased' },
    ],
    advanced: false,
    optional: true,
  } satisfies ChoiceOption<'resize'>,
  margin: num({ key: 'margin', label: 'Margin', flag: 'margin', help: 'triplet loss margin: how much closer the positive must be', default: 0.5, integer: false, min: 0, max: 10, step: 0.05 }),
  epochs: num({ key: 'epochs', label: 'Epochs', flag: 'epochs', help: 'passes over the training triplets', default: 24, integer: true, min: 1, max: 10000, step: 1 }),
  batchSize: num({ key: 'batchSize', label: 'Batch size', flag: 'batch-size', help: 'triplets per step', default: 64, integer: true, min: 1, max: 65536, step: 1 }),
  learningRate: num({ key: 'learningRate', label: 'Learning rate', flag: 'learning-rate', help: 'Adam step size', default: 1e-3, integer: false, min: 0, minExclusive: true, max: 10, step: 0.0001 }),
  dropout: num({ key: 'dropout', label: 'Dropout', flag: 'dropout', help: 'dropout rate before each dense layer', default: 0.3, integer: false, min: 0, max: 0.95, step: 0.05 }),
  hidden: num({ key: 'hidden', label: 'Hidden units', flag: 'hidden', help: 'width of the dense hidden layer', default: 512, integer: true, min: 1, max: 65536, step: 1 }),
  embedding: num({ key: 'embedding', label: 'Embedding size', flag: 'embedding', help: 'output dimensions of the encoder', default: 10, integer: true, min: 1, max: 4096, step: 1 }),
  ensemble: num({ key: 'ensemble', label: 'Ensemble', flag: 'ensemble', help: 'encoders trained side by side from different seeds, embeddings joined', default: 2, integer: true, min: 1, max: 16, step: 1, optional: true }),
  validationSplit: num({ key: 'validationSplit', label: 'Validation split', flag: 'validation-split', help: 'fraction of the train images held out to pick the best epoch; 0 keeps the last epoch', default: 0, integer: false, min: 0, max: 0.5, step: 0.05 }),
  patience: num({ key: 'patience', label: 'Patience', flag: 'patience', help: 'with validation: stop after this many epochs without a better score, 0 = never', default: 10, integer: true, min: 0, max: 10000, step: 1, optional: true }),
  refit: { kind: 'boolean', key: 'refit', label: 'Refit', flag: 'refit', help: 'with validation: then train on every train triplet for the best epoch count and keep that model', advanced: true, optional: true } satisfies BooleanOption<'refit'>,
  weightDecay: num({ key: 'weightDecay', label: 'Weight decay', flag: 'weight-decay', help: 'L2 penalty on the dense kernels', default: 0, integer: false, min: 0, max: 1, step: 0.0001, optional: true, advanced: true }),
  stepsPerEpoch: num({ key: 'stepsPerEpoch', label: 'Steps per epoch', flag: 'steps-per-epoch', help: 'batches per epoch; 0 = every triplet each epoch; empty = every triplet unless the set is large (then four triplets per image, at least 2,400)', integer: true, min: 0, max: 10000000, step: 1, optional: true, advanced: true }),
  seed: num({ key: 'seed', label: 'Seed', flag: 'seed', help: 'random seed (same seed, same data → same model)', default: 1, integer: true, step: 1, optional: true, advanced: true }),
  backend: {
    kind: 'choice',
    key: 'backend',
    label: 'Backend',
    flag: 'backend',
    help: 'compute backend (default: the best available)',
    choices: [
      { value: 'tensorflow-gpu', label: 'TensorFlow GPU' },
      { value: 'tensorflow', label: 'TensorFlow CPU' },
      { value: 'wasm', label: 'WebAssembly' },
      { value: 'cpu', label: 'Plain JavaScript' },
      { value: 'onnxruntime', label: 'ONNX Runtime' },
    ],
    advanced: true,
    optional: true,
  } satisfies ChoiceOption<'backend'>,
  exif: { kind: 'boolean', key: 'exif', label: 'EXIF upright', flag: 'exif', help: 'use the EXIF-upright image (default: the stored orientation, as Keras)', advanced: true, optional: true } satisfies BooleanOption<'exif'>,
  derived: num({ key: 'derived', label: 'Implied triplets', flag: 'derived', help: 'per epoch, this many × the training triplets more, drawn from the groups your positives chain images into (negatives keep groups apart); 0 = only your triplets', default: 1, integer: false, min: 0, max: 16, step: 0.5, optional: true, advanced: true }),
} as const satisfies { [K in keyof TrainOptions]-?: TrainOptionSpec & { key: K } };

/** The table as a list, in form order. */
export const TRAIN_OPTION_LIST: readonly TrainOptionSpec[] = Object.values(TRAIN_OPTIONS);

/** "at least 1", "between 0 and 10", "more than 0"… for messages and CLI help. */
export function describeRange(o: NumberOption): string {
  const low = o.min === undefined ? undefined : `${o.minExclusive ? 'more than' : 'at least'} ${o.min}`;
  if (low && o.max !== undefined) return o.minExclusive ? `more than ${o.min} and at most ${o.max}` : `between ${o.min} and ${o.max}`;
  if (low) return low;
  return o.max !== undefined ? `at most ${o.max}` : '';
}

/** The plain-words problem with `value` for option `o`, or null when it is fine. Shared by the schema, the form and the CLI. */
export function numberProblem(o: NumberOption, value: number): string | null {
  if (!Number.isFinite(value)) return `${o.label} must be a number.`;
  if (o.integer && !Number.isInteger(value)) return `${o.label} must be a whole number.`;
  const low = o.min !== undefined && (o.minExclusive ? value <= o.min : value < o.min);
  const high = o.max !== undefined && value > o.max;
  return low || high ? `${o.label} must be ${describeRange(o)}.` : null;
}

/** The zod schema of one number option: the table's limits, the table's message. */
function numberSchema(o: NumberOption): z.ZodNumber {
  const message = `${o.label} must be ${describeRange(o)}.`;
  let s = z.number({ error: `${o.label} must be a number.` });
  if (o.integer) s = s.int({ error: `${o.label} must be a whole number.` });
  if (o.min !== undefined) s = o.minExclusive ? s.gt(o.min, { error: message }) : s.min(o.min, { error: message });
  if (o.max !== undefined) s = s.max(o.max, { error: message });
  return s;
}

const T = TRAIN_OPTIONS;
const choice = <V extends string>(o: ChoiceOption, values: readonly [V, ...V[]]) => {
  // The literal tuple keeps the TypeScript type; the check keeps it equal to the table's choices.
  if (values.join() !== o.choices.map((c) => c.value).join()) throw new Error(`train option ${o.key}: choices differ from the table`);
  return z.enum(values);
};

export const trainOptionsSchema = z.object({
  backbone: z.string().min(1).max(T.backbone.maxLength),
  distance: choice(T.distance, ['l1', 'l2', 'cosine']),
  margin: numberSchema(T.margin),
  epochs: numberSchema(T.epochs),
  batchSize: numberSchema(T.batchSize),
  learningRate: numberSchema(T.learningRate),
  dropout: numberSchema(T.dropout),
  hidden: numberSchema(T.hidden),
  embedding: numberSchema(T.embedding),
  validationSplit: numberSchema(T.validationSplit),
  weightDecay: numberSchema(T.weightDecay).optional(),
  ensemble: numberSchema(T.ensemble).optional(),
  patience: numberSchema(T.patience).optional(),
  refit: z.boolean().optional(),
  seed: numberSchema(T.seed).optional(),
  stepsPerEpoch: numberSchema(T.stepsPerEpoch).optional(),
  backend: choice(T.backend, ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu', 'onnxruntime']).optional(),
  resize: choice(T.resize, ['nearest', 'antialias']).optional(),
  exif: z.boolean().optional(),
  derived: numberSchema(T.derived).optional(),
});

/** The defaults of the table as options (the backbone not yet resolved against what is installed). */
export const TABLE_DEFAULTS: TrainOptions = trainOptionsSchema.parse(
  Object.fromEntries(TRAIN_OPTION_LIST.filter((o) => o.default !== undefined).map((o) => [o.key, o.default])),
);
