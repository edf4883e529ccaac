// The train options are described once (shared/train-options.ts): the zod schema, the CLI flags of
// `train` and the Train view's fields are generated from that table and agree on limits and defaults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { describeRange, TRAIN_OPTION_LIST, TABLE_DEFAULTS, trainOptionsSchema, type NumberOption } from '../../src/shared/train-options.js';
import { register } from '../../src/main/cli/commands/train.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/main/ml/defaults.js';
import { fieldProblem, optionFields } from '../../src/renderer/views/train/option-fields.js';

const numbers = TRAIN_OPTION_LIST.filter((o): o is NumberOption => o.kind === 'number');

function trainCommand(): Command {
  const program = new Command();
  register(program);
  return program.commands.find((c) => c.name() === 'train')!;
}

/** Parses `train dir <args>` and returns the options, or the error message commander gives. */
function parseTrain(args: string[]): { options?: Record<string, unknown>; error?: string } {
  const cmd = trainCommand();
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  cmd.action(() => {});
  try {
    cmd.parse(['dir', ...args], { from: 'user' });
    return { options: cmd.opts() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

test('the schema takes every key of the table and nothing else', () => {
  assert.deepEqual(Object.keys(trainOptionsSchema.shape).sort(), TRAIN_OPTION_LIST.map((o) => o.key).sort());
});

test('the engine defaults are the table defaults', () => {
  assert.equal(DEFAULT_TRAIN_OPTIONS, TABLE_DEFAULTS);
  for (const o of TRAIN_OPTION_LIST) assert.equal(DEFAULT_TRAIN_OPTIONS[o.key], o.default, o.key);
  assert.equal(trainOptionsSchema.safeParse(DEFAULT_TRAIN_OPTIONS).success, true);
});

test('the schema refuses values just outside each range, with the table message, and takes the limits', () => {
  for (const o of numbers) {
    const at = (v: number) => trainOptionsSchema.safeParse({ ...DEFAULT_TRAIN_OPTIONS, [o.key]: v });
    const message = `${o.label} must be ${describeRange(o)}.`;
    if (o.min !== undefined) {
      const below = at(o.minExclusive ? o.min : o.min - 1);
      assert.equal(below.success, false, `${o.key} below min`);
      assert.equal(below.error!.issues[0].message, message);
      if (!o.minExclusive) assert.equal(at(o.min).success, true, `${o.key} at min`);
    }
    if (o.max !== undefined) {
      const above = at(o.max + 1);
      assert.equal(above.success, false, `${o.key} above max`);
      assert.equal(above.error!.issues[0].message, message);
      assert.equal(at(o.max).success, true, `${o.key} at max`);
    }
    if (o.integer) assert.equal(at((o.min ?? 0) + 1.5).error?.issues[0].message, `${o.label} must be a whole number.`);
  }
});

test('every table entry is a CLI flag of train with its help, default, choices and range', () => {
  const flags = new Map(trainCommand().options.map((f) => [f.long, f]));
  for (const o of TRAIN_OPTION_LIST) {
    const flag = flags.get(`--${o.flag}`);
    assert.ok(flag, `--${o.flag} exists`);
    assert.equal(flag.attributeName(), o.key, `--${o.flag} sets ${o.key}`);
    assert.ok(flag.description.startsWith(o.help), `--${o.flag} help`);
    if (o.default !== undefined) assert.match(flag.description, new RegExp(`default ${String(o.default).replace('.', '\\.')}\\b`));
    if (o.kind === 'choice') assert.deepEqual(flag.argChoices, o.choices.map((c) => c.value));
    if (o.kind === 'number' && describeRange(o)) assert.ok(flag.description.includes(describeRange(o)), `--${o.flag} shows its range`);
  }
});

test('the CLI refuses out-of-range numbers in the table words and takes the limits', () => {
  for (const o of numbers) {
    if (o.max !== undefined) {
      const r = parseTrain([`--${o.flag}`, String(o.max + 1)]);
      assert.match(r.error ?? '', new RegExp(`--${o.flag}: ${o.label} must be`), o.key);
      assert.equal(parseTrain([`--${o.flag}`, String(o.max)]).options?.[o.key], o.max);
    }
    if (o.min !== undefined) {
      const r = parseTrain([`--${o.flag}`, String(o.minExclusive ? o.min : o.min - 1)]);
      assert.ok(r.error, `${o.key} below min refused`);
    }
  }
  // Before the table, --learning-rate 0, --epochs 0 and --dropout 2 passed the CLI and failed later.
  assert.ok(parseTrain(['--learning-rate', '0']).error);
  assert.ok(parseTrain(['--dropout', '2']).error);
});

test('the form shows every table entry (backbone has its own picker), folds the advanced ones, and states the table limits', () => {
  const { main, advanced } = optionFields();
  assert.deepEqual([...main, ...advanced].map((o) => o.key).sort(), TRAIN_OPTION_LIST.filter((o) => o.key !== 'backbone').map((o) => o.key).sort());
  assert.ok(advanced.every((o) => o.advanced) && main.every((o) => !o.advanced));
  for (const o of numbers) {
    if (o.max !== undefined) assert.equal(fieldProblem(o, String(o.max + 1)), `${o.label} must be ${describeRange(o)}.`);
    assert.equal(fieldProblem(o, String(o.default ?? o.min ?? 1)), null);
    assert.equal(fieldProblem(o, ''), o.optional ? null : `${o.label} is needed.`);
  }
  // The old form let batch size and hidden units grow past what the schema accepts.
  assert.match(fieldProblem(TRAIN_OPTION_LIST.find((o) => o.key === 'batchSize')!, '100000')!, /Batch size must be between 1 and 65536/);
});
