// `neighbours`: the nearest images of an image of the project (a name as in triplet files) or of an
// image file from outside it (a path; the file is not added), by a run's encoder or raw features.
// `judge`: what a run's encoder makes of a triplet (saved or not), as the app's triplet maker shows it.
import { existsSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { AppError } from '../../../shared/errors.js';
import { judgementText } from '../../../shared/judgement-text.js';
import { noFeaturesText, READ_ONLY_FEATURES_HINT } from '../../../shared/left-out.js';
import { NameResolver } from '../../images/names.js';
import { resolveWritten } from '../../triplets/written-names.js';
import type { Project } from '../../project/project.js';
import type { SimilarQuery } from '../../project/similar.js';
import { resolveTripletNames } from './edit.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, table, withProject } from '../output.js';
import { encodeName } from '../../triplets/escape.js';

/** A name of the project first; else an existing file's path; else the name's error. */
export function queryOf(p: Project, image: string): SimilarQuery {
  const r = resolveWritten(new NameResolver(p.db), image);
  if ('id' in r) return { imageId: r.id };
  if (existsSync(image) && statSync(image).isFile()) return { file: image };
  throw new AppError('NOT_FOUND', `${r.error}, and no image file at that path.`);
}

export function register(program: Command): void {
  program
    .command('neighbours')
    .description('nearest images of IMAGE (a name as in triplet files, or a path to an image file), ascending by distance, IMAGE itself left out')
    .argument('<dir>', 'project folder')
    .argument('<image>', 'image name or image file path')
    .option('--run <id>', 'run whose encoder to use (default: the latest finished run; none: raw features)', numberArg('run', true, 1))
    .addOption(new Option('--raw', 'raw backbone features (L2 on L2-normalised features) even when a run exists').conflicts('run'))
    .option('--k <n>', 'how many (default 12)', numberArg('k', true, 1, 100_000))
    .action(
      action(async (dir: string, image: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number; raw?: boolean; k?: number }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          let readOnly = false;
          const r = await withProject(dir, (p) => {
            readOnly = p.readOnly;
            return p.similar(queryOf(p, image), { k: opts.k, runId: opts.run, raw: opts.raw, signal: interrupt.signal, onProgress: bar.onProgress });
          });
          bar.stop();
          const rows = r.neighbours.map((n) => ({ name: n.image.name, distance: n.distance }));
          output(opts.json, rows, () => {
            const space = r.run === null ? `raw ${r.backbone} features (${r.dim}-d, l2 on normalised)` : `run ${r.run} encodings (${r.dim}-d, ${r.distance})`;
            const how = readOnly ? ` ${READ_ONLY_FEATURES_HINT}` : ' (`embed DIR` names them)';
            const notSearched = r.missing > 0 ? `; ${noFeaturesText(r.missing, 'of the project', readOnly)}, so ${r.missing === 1 ? 'it was' : 'they were'} not searched${how}` : '';
            return `${table(['name', 'distance'], rows.map((n) => [encodeName(n.name), n.distance.toFixed(6)]))}\n${rows.length} neighbours by ${space}${notSearched}`;
          });
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
  program
    .command('judge')
    .description("what a run's encoder makes of a triplet (saved or not): d(A,P), d(A,N), the training loss and whether the model gets it wrong, right inside the margin, or already right by it")
    .argument('<dir>', 'project folder')
    .argument('<anchor>')
    .argument('<positive>')
    .argument('<negative>')
    .option('--run <id>', 'run whose encoder to use (default: the latest finished run)', numberArg('run', true, 1))
    .action(
      action(async (dir: string, anchor: string, positive: string, negative: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const j = await withProject(dir, async (p) => {
            const [anchorId, positiveId, negativeId] = resolveTripletNames(p, [anchor, positive, negative]);
            const judged = await p.judgeTriplet({ anchorId, positiveId, negativeId }, { runId: opts.run, signal: interrupt.signal, onProgress: bar.onProgress });
            // null has two causes: no run to judge by, or an image without features in the run's space.
            if (!judged)
              throw new AppError(
                'NOT_FOUND',
                p.info().latestRun === null
                  ? 'No finished run yet: train first (`train`), then judge triplets by its encoder.'
                  : `An image of this triplet has no features for run ${opts.run ?? p.info().latestRun}: its file could not be decoded, or the project is open read-only, so features cannot be computed.`,
              );
            return judged;
          });
          bar.stop();
          output(opts.json, j, () => judgementText(j));
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}
