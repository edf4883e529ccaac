// `suggest`: triplets worth labelling next (active learning). Answer them with `add`
// (as shown, or with positive and negative swapped); see README "Suggested triplets".
import type { Command } from 'commander';
import { coverageText } from '../../../shared/coverage-text.js';
import type { LabelCoverage } from '../../../shared/types.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, table, withProject } from '../output.js';

export function register(program: Command): void {
  program
    .command('suggest')
    .description('propose train triplets to label: uncertain ones, hard negatives, images in no triplet yet (positive = the one the model finds closer)')
    .argument('<dir>', 'project folder')
    .option('--count <n>', 'how many (default 100)', numberArg('count', true))
    .option('--run <id>', 'rank with this run (default: the latest finished; raw features before any run)', numberArg('run', true))
    .option('--seed <n>', 'seed for sampling a large pool', numberArg('seed', true))
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ count?: number; run?: number; seed?: number }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const r = await withProject(dir, (p) =>
            p.suggest({ count: opts.count, runId: opts.run, seed: opts.seed, signal: interrupt.signal, onProgress: bar.onProgress }),
          );
          bar.stop();
          const rows = r.suggestions.map((s) => ({ anchor: s.anchor, positive: s.positive, negative: s.negative, reason: s.reason, dAP: s.dAP, dAN: s.dAN }));
          output(opts.json, rows, () => {
            const basis = r.runId === null ? 'raw features (no finished run yet)' : `run ${r.runId}`;
            const cover = coverageLine(r.coverage);
            if (rows.length === 0) return `No suggestions (${r.pool} images available outside test triplets; ranked by ${basis}).\n${cover}`;
            return (
              table(['anchor', 'positive', 'negative', 'reason'], rows.map((s) => [s.anchor, s.positive, s.negative, s.reason])) +
              `\n${rows.length} suggestions from ${r.pool} images, ranked by ${basis}. Add each with \`add DIR ANCHOR POSITIVE NEGATIVE --split train\` (swap the last two if the negative is the one like the anchor).\n${cover}`
            );
          });
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}

/** The labels' coverage in one line (and, when saturated, what to do instead). */
function coverageLine(c: LabelCoverage): string {
  const t = coverageText(c);
  return t.advice ? `${t.summary} ${t.advice}` : t.summary;
}
