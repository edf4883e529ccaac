// `evaluate` and `mistakes`: score the current active test triplets with a finished run.
import { writeAtomic } from '../../project/matrix-files.js';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { EvaluateResult, RunScoreNow } from '../../../shared/types.js';
import type { ScoredTriplet } from '../../project/run-scoring.js';
import { action, interruptSignal, numberArg, optionsOf, output, pct, progressBar, refuseToReplace, table, withProject } from '../output.js';
import { encodeName } from '../../triplets/escape.js';

export function register(program: Command): void {
  program
    .command('evaluate')
    .description('score the active test triplets with a run (default: the latest finished) and print accuracy and baseline')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run id', numberArg('run', true, 1))
    .option('--out <file>', 'write one line per active test triplet, in import order: 1 predicted correctly, 0 not, - not scored (an image without features)')
    .option('--force', 'replace the --out file if it exists')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number; out?: string; force?: boolean }>(cmd);
        refuseToReplace(dir, [opts.out], opts.force);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const { result, scored, order } = await withProject(dir, (p) => p.evaluate(opts.run, { signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          if (opts.out) writeAtomic(resolve(opts.out), predictionLines(scored, order));
          output(opts.json, result, () =>
            [
              scoreLine(result),
              `  on labels as imported: ${pct(result.accuracyAsImported)} on ${result.countAsImported} test triplets${result.readOnly ? ' (read-only project: predictions not stored)' : ''}`,
              ...(opts.out ? [`Wrote ${order.length} lines to ${resolve(opts.out)}${result.unscored ? ` (${result.unscored} "-": not scored)` : ''}`] : []),
            ].join('\n'),
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('mistakes')
    .description('list the mispredicted test triplets, worst first, with the file and line each came from (as it was imported)')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run id', numberArg('run', true, 1))
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number }>(cmd);
        // Progress and Ctrl-C as evaluate's: the list scores test triplets the run has not, computing their features first.
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const { mistakes, now } = await withProject(dir, async (p) => {
            const mistakes = await p.mistakes(opts.run, { signal: interrupt.signal, onProgress: bar.onProgress });
            // Only an empty list needs the run's counts, to say why it is empty.
            if (mistakes.length) return { mistakes, now: null };
            const id = opts.run ?? p.info().latestRun;
            return { mistakes, now: p.runs().find((r) => r.id === id)?.now ?? null };
          });
          bar.stop();
          // `id`: what `edit` takes (a triplet made by hand has no file and line to find it by).
          const rows = mistakes.map((m) => ({ id: m.tripletId, file: m.file ?? null, line: m.line, anchor: m.anchor, positive: m.positive, negative: m.negative, dAP: m.dAP, dAN: m.dAN, review: m.review ?? null }));
          output(opts.json, rows, () =>
            rows.length === 0
              ? noMistakes(now)
              : table(
                  ['id', 'file:line', 'anchor', 'positive', 'negative', 'dAP', 'dAN', 'review'],
                  rows.map((m) => [m.id, whereFrom(m.file, m.line), ...[m.anchor, m.positive, m.negative].map(encodeName), m.dAP.toFixed(4), m.dAN.toFixed(4), m.review ?? '']),
                ) + `\n${rows.length} mistakes`,
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}

/**
 * `--out`: one line per active test triplet in import order, so line k is the k-th test triplet even
 * when some could not be scored ("-"; leaving them out shifted every later line onto another triplet).
 */
function predictionLines(scored: ScoredTriplet[], order: number[]): string {
  const correct = new Map(scored.map((s) => [s.tripletId, s.correct]));
  return order.map((id) => (correct.has(id) ? (correct.get(id) ? '1\n' : '0\n') : '-\n')).join('');
}

/** The first line of `evaluate`: the accuracy, or why there is none; the triplets it could not score. */
function scoreLine(r: EvaluateResult): string {
  const s = r.unscored === 1 ? '' : 's';
  if (r.count === 0 && r.unscored === 0) return `Run ${r.run}: no active test triplets to score`;
  if (r.count === 0) return `Run ${r.run}: none of the ${r.unscored} active test triplet${s} could be scored (${NO_FEATURES})`;
  const line = `Run ${r.run}: accuracy ${pct(r.accuracy)} on ${r.count} test triplets (untrained baseline ${pct(r.baselineAccuracy)})`;
  return r.unscored ? `${line}; ${r.unscored} more active test triplet${s} could not be scored (${NO_FEATURES})` : line;
}

const NO_FEATURES = 'an image of each has no features: missing or unreadable; `images DIR --missing` lists missing files';

/** Where a triplet came from: the file's name and line (as imported), or "made in the app". */
function whereFrom(file: string | null, line: number | null): string {
  return file && line !== null ? `${basename(file)}:${line}` : 'made in the app';
}

/** "No mistakes" only claims what was scored: none scored, or some left unscored, says so. */
function noMistakes(now: RunScoreNow | null): string {
  if (!now || (now.scored === 0 && now.unscored === 0)) return 'No mistakes to list: there are no active test triplets.';
  if (now.scored === 0) return `No mistakes to list: none of the ${now.unscored} active test triplets could be scored (${NO_FEATURES}).`;
  return `No mistakes among the ${now.scored} scored test triplets${now.unscored ? `; ${now.unscored} could not be scored (${NO_FEATURES})` : ''}.`;
}
