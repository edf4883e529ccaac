// `evaluate` and `mistakes`: score the current active test triplets with a finished run.
import { writeAtomic } from '../../project/matrix-files.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EvaluateResult, RunScoreNow } from '../../../shared/types.js';
import { action, interruptSignal, numberArg, optionsOf, output, pct, progressBar, refuseToReplace, table, withProject } from '../output.js';

export function register(program: Command): void {
  program
    .command('evaluate')
    .description('score the active test triplets with a run (default: the latest finished) and print accuracy and baseline')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run id', numberArg('run', true))
    .option('--out <file>', 'write one 0/1 per active test triplet, in import order (1 = predicted correctly)')
    .option('--force', 'replace the --out file if it exists')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number; out?: string; force?: boolean }>(cmd);
        refuseToReplace(dir, [opts.out], opts.force);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const { result, scored } = await withProject(dir, (p) => p.evaluate(opts.run, { signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          if (opts.out) writeAtomic(resolve(opts.out), scored.map((s) => (s.correct ? '1\n' : '0\n')).join(''));
          output(opts.json, result, () =>
            [
              scoreLine(result),
              `  on labels as imported: ${pct(result.accuracyAsImported)} on ${result.countAsImported} test triplets${result.readOnly ? ' (read-only project: predictions not stored)' : ''}`,
              ...(opts.out ? [`Wrote ${scored.length} predictions to ${resolve(opts.out)}`] : []),
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
    .description('list the mispredicted test triplets, worst first (line = line in the imported test file)')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run id', numberArg('run', true))
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number }>(cmd);
        const { mistakes, now } = await withProject(dir, async (p) => {
          const mistakes = await p.mistakes(opts.run);
          // Only an empty list needs the run's counts, to say why it is empty.
          if (mistakes.length) return { mistakes, now: null };
          const id = opts.run ?? p.info().latestRun;
          return { mistakes, now: p.runs().find((r) => r.id === id)?.now ?? null };
        });
        const rows = mistakes.map((m) => ({ file: m.file ?? null, line: m.line, anchor: m.anchor, positive: m.positive, negative: m.negative, dAP: m.dAP, dAN: m.dAN, review: m.review ?? null }));
        output(opts.json, rows, () =>
          rows.length === 0
            ? noMistakes(now)
            : table(
                ['line', 'anchor', 'positive', 'negative', 'dAP', 'dAN', 'review'],
                rows.map((m) => [m.line ?? '-', m.anchor, m.positive, m.negative, m.dAP.toFixed(4), m.dAN.toFixed(4), m.review ?? '']),
              ) + `\n${rows.length} mistakes`,
        );
      }),
    );
}

/** The first line of `evaluate`: the accuracy, or why there is none; the triplets it could not score. */
function scoreLine(r: EvaluateResult): string {
  const s = r.unscored === 1 ? '' : 's';
  if (r.count === 0 && r.unscored === 0) return `Run ${r.run}: no active test triplets to score`;
  if (r.count === 0) return `Run ${r.run}: none of the ${r.unscored} active test triplet${s} could be scored (${NO_FEATURES})`;
  const line = `Run ${r.run}: accuracy ${pct(r.accuracy)} on ${r.count} test triplets (untrained baseline ${pct(r.baselineAccuracy)})`;
  return r.unscored ? `${line}; ${r.unscored} more active test triplet${s} could not be scored (${NO_FEATURES})` : line;
}

const NO_FEATURES = 'an image of each has no features: missing or unreadable; `runs --json` lists them';

/** "No mistakes" only claims what was scored: none scored, or some left unscored, says so. */
function noMistakes(now: RunScoreNow | null): string {
  if (!now || (now.scored === 0 && now.unscored === 0)) return 'No mistakes to list: there are no active test triplets.';
  if (now.scored === 0) return `No mistakes to list: none of the ${now.unscored} active test triplets could be scored (${NO_FEATURES}).`;
  return `No mistakes among the ${now.scored} scored test triplets${now.unscored ? `; ${now.unscored} could not be scored (${NO_FEATURES})` : ''}.`;
}
