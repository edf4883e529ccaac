// `suggest`: triplets worth labelling next (active learning); `answer`: accept, swap or reject one,
// as the Suggest view's A, S and X keys do; see README "Suggested triplets".
import { Option, type Command } from 'commander';
import { coverageText } from '../../../shared/coverage-text.js';
import { MOVED_FOLDER_HINT, noFeaturesText, READ_ONLY_FEATURES_HINT } from '../../../shared/left-out.js';
import { noSuggestionsText, suggestionSource } from '../../../shared/suggest-text.js';
import { SUGGESTION_ANSWERS, type LabelCoverage, type SuggestionAnswerKind } from '../../../shared/types.js';
import { tripletLine } from '../../triplets/listing.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, table, withProject } from '../output.js';
import { resolveTripletNames } from './edit.js';
import { MAX_SUGGEST_COUNT } from '../../project/suggest.js';
import { encodeName, lineNames } from '../../triplets/escape.js';

export function register(program: Command): void {
  program
    .command('suggest')
    .description('propose train triplets to label: with a run first exploring ones (an image the model finds alike that no label ties to the anchor yet), then uncertain ones, hard negatives, images in no triplet yet (positive = the one the model finds closer)')
    .argument('<dir>', 'project folder')
    .option('--count <n>', 'how many (default 100)', numberArg('count', true, 1, MAX_SUGGEST_COUNT))
    .option('--run <id>', 'rank with this run (default: the latest finished; raw features before any run)', numberArg('run', true, 1))
    .option('--seed <n>', 'seed for sampling a large pool', numberArg('seed', true))
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ count?: number; run?: number; seed?: number }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          let readOnly = false;
          const r = await withProject(dir, (p) => {
            readOnly = p.readOnly;
            return p.suggest({ count: opts.count, runId: opts.run, seed: opts.seed, signal: interrupt.signal, onProgress: bar.onProgress });
          });
          bar.stop();
          const rows = r.suggestions.map((s) => ({ anchor: s.anchor, positive: s.positive, negative: s.negative, reason: s.reason, dAP: s.dAP, dAN: s.dAN }));
          output(opts.json, rows, () => {
            const source = suggestionSource(r.runId, rows.map((s) => s.reason));
            const missingHow = readOnly ? READ_ONLY_FEATURES_HINT : '(`images DIR --missing` lists missing files).';
            const cover = coverageLine(r.coverage) + (r.withoutFeatures && r.pool ? `\nNot suggested: ${noFeaturesText(r.withoutFeatures, 'outside test triplets', readOnly)} ${missingHow}` : '');
            if (r.pool === 0 && r.withoutFeatures > 0) {
              const how = readOnly ? READ_ONLY_FEATURES_HINT : `\`embed DIR\` names them. ${MOVED_FOLDER_HINT}`;
              return `No suggestions: ${noFeaturesText(r.withoutFeatures, 'outside test triplets', readOnly)}; ${how}\n${cover}`;
            }
            if (r.pool === 0) return `No suggestions: no image is imported yet, or every one is in a test triplet (suggestions never use those). Import images with \`import-images DIR FOLDER\`.\n${cover}`;
            if (rows.length === 0) return `No suggestions (${source}): ${noSuggestionsText(r.pool, 'Import more with `import-images DIR FOLDER`')}\n${cover}`;
            return (
              table(['anchor', 'positive', 'negative', 'reason'], rows.map((s) => [encodeName(s.anchor), encodeName(s.positive), encodeName(s.negative), s.reason])) +
              `\n${rows.length} suggestions among ${r.pool} images, ${source}. Answer each with \`answer DIR ANCHOR POSITIVE NEGATIVE --answer accept|swap|reject\`.\n${cover}`
            );
          });
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('answer')
    .description('answer a suggestion as the app does: accept (a train triplet as shown), swap (positive and negative swapped) or reject (never suggested again); undo an accept with `undo`')
    .argument('<dir>', 'project folder')
    .argument('<anchor>')
    .argument('<positive>', 'the positive as `suggest` showed it')
    .argument('<negative>')
    .addOption(new Option('--answer <kind>', 'accept, swap or reject').choices(SUGGESTION_ANSWERS).makeOptionMandatory())
    .action(
      action(async (dir: string, anchor: string, positive: string, negative: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ answer: SuggestionAnswerKind }>(cmd);
        const result = await withProject(dir, (p) => {
          const [anchorId, positiveId, negativeId] = resolveTripletNames(p, [anchor, positive, negative]);
          const t = p.answerSuggestion({ anchorId, positiveId, negativeId, answer: opts.answer });
          return { answer: opts.answer, triplet: t ? tripletLine(p.db, t.id) : null };
        });
        output(opts.json, result, () =>
          result.triplet
            ? `Added train triplet ${result.triplet.id}: ${lineNames([result.triplet.anchor, result.triplet.positive, result.triplet.negative], false).join(' ')}`
            : `Rejected: ${anchor} with ${positive} and ${negative} will not be suggested again.`,
        );
      }),
    );
}

/** The labels' coverage in one line (and, when saturated or early, what helps most now). */
function coverageLine(c: LabelCoverage): string {
  const t = coverageText(c);
  return t.advice ? `${t.summary} ${t.advice}` : t.summary;
}
