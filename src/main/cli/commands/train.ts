// `embed`, `train`, `runs`: features and training runs.
import { Option, type Command } from 'commander';
import type { BackendName, RunSummary, TrainOptions } from '../../../shared/types.js';
import { BACKEND_ORDER, DISTANCES } from '../../../shared/types.js';
import { DEFAULT_TRAIN_OPTIONS, defaultBackbone } from '../../ml/index.js';
import { action, formatSeconds, interruptSignal, numberArg, optionsOf, output, pct, progressBar, table, withProject } from '../output.js';

const backendOption = () => new Option('--backend <name>', 'compute backend (default: the best available)').choices([...BACKEND_ORDER]);

export function register(program: Command): void {
  program
    .command('embed')
    .description('compute and cache backbone features for every image that has none yet (resumes after an interruption)')
    .argument('<dir>', 'project folder')
    .option('--backbone <id>', 'backbone id (see `triplet-studio backends`; default: as for train)')
    .addOption(backendOption())
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ backbone?: string; backend?: BackendName }>(cmd);
        const backbone = opts.backbone ?? defaultBackbone();
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const r = await withProject(dir, (p) => p.embed(backbone, { backend: opts.backend, signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          output(opts.json, r, () =>
            [
              `Features (${r.backbone}): ${r.computed} computed, ${r.cached} already cached, ${r.failed.length} failed${r.backend ? ` (${r.engine}, ${r.seconds.toFixed(1)} s)` : ''}`,
              ...r.failed.map((f) => `  failed ${f.path}: ${f.reason}`),
            ].join('\n'),
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  const d = DEFAULT_TRAIN_OPTIONS;
  program
    .command('train')
    .description('train an encoder on the active train triplets and score the active test triplets')
    .argument('<dir>', 'project folder')
    .option('--epochs <n>', `epochs (default ${d.epochs})`, numberArg('epochs', true))
    .option('--batch-size <n>', `triplets per batch (default ${d.batchSize})`, numberArg('batch-size', true))
    .option('--learning-rate <x>', `Adam learning rate (default ${d.learningRate})`, numberArg('learning-rate'))
    .option('--dropout <x>', `dropout rate (default ${d.dropout})`, numberArg('dropout'))
    .option('--margin <x>', `triplet loss margin (default ${d.margin})`, numberArg('margin'))
    .option('--hidden <n>', `hidden units (default ${d.hidden})`, numberArg('hidden', true))
    .option('--embedding <n>', `embedding size (default ${d.embedding})`, numberArg('embedding', true))
    .addOption(new Option('--distance <kind>', `distance (default ${d.distance})`).choices([...DISTANCES]))
    .option('--backbone <id>', `backbone (default ${d.backbone} when installed, else the installed one)`)
    .option('--validation-split <x>', `fraction of the train images held out to pick the best epoch; 0 keeps the last epoch (default ${d.validationSplit})`, numberArg('validation-split'))
    .option('--patience <n>', `with validation: stop after n epochs without a better score, 0 = never (default ${d.patience ?? 0})`, numberArg('patience', true))
    .option('--refit', 'with validation: then train on every train triplet for the best epoch count and keep that model')
    .option('--ensemble <n>', `encoders trained side by side from different seeds, embeddings joined (default ${d.ensemble ?? 1})`, numberArg('ensemble', true))
    .option('--weight-decay <x>', `L2 penalty on the dense kernels (default ${d.weightDecay ?? 0})`, numberArg('weight-decay'))
    .option('--seed <n>', 'random seed (same seed, same data → same model)', numberArg('seed', true))
    .addOption(backendOption())
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const { json, ...options } = optionsOf<Partial<TrainOptions>>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const run = await withProject(dir, (p) => p.train(options, { signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          output(json, run, () => describeRun(run));
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('runs')
    .description('list training runs')
    .argument('<dir>', 'project folder')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const runs = await withProject(dir, (p) => p.runs());
        output(optionsOf(cmd).json, runs, () =>
          runs.length === 0
            ? 'No runs yet.'
            : table(
                ['run', 'status', 'created', 'backbone', 'backend', 'train', 'test', 'best epoch', 'test acc', 'baseline', 'seconds'],
                runs.map((r) => [
                  r.id,
                  r.status,
                  r.createdAt.replace('T', ' ').slice(0, 19),
                  r.options.backbone,
                  r.backend || '-',
                  r.trainCount,
                  r.testCount,
                  r.bestEpoch ?? '-',
                  pct(r.testAccuracy),
                  pct(r.baselineAccuracy),
                  totalSeconds(r).toFixed(1),
                ]),
              ),
        );
      }),
    );
}

const totalSeconds = (r: RunSummary): number => Object.values(r.timings).reduce((a, b) => a + b, 0);

function describeRun(r: RunSummary): string {
  const o = r.options;
  return [
    `Run ${r.id} ${r.status}: test accuracy ${pct(r.testAccuracy)} on ${r.testCount} triplets (untrained baseline ${pct(r.baselineAccuracy)})`,
    `  ${r.trainCount} train / ${r.valCount} validation triplets${validationNote(r)}, best epoch ${r.bestEpoch} of ${o.epochs}, backend ${r.backend}, ${formatSeconds(totalSeconds(r))}`,
    `  backbone ${o.backbone}, distance ${o.distance}, margin ${o.margin}, lr ${o.learningRate}, batch ${o.batchSize}, dropout ${o.dropout}, ${o.hidden}→${o.embedding}${(o.ensemble ?? 1) > 1 ? ` ×${o.ensemble}` : ''}${o.seed !== undefined ? `, seed ${o.seed}` : ''}`,
  ].join('\n');
}

/** " (N images held out, M triplets unused)" when the run validated on held-out images. */
function validationNote(r: RunSummary): string {
  const v = r.validation;
  return v && v.heldImages > 0 ? ` (${v.heldImages} images held out, ${v.unused} triplets unused)` : '';
}
