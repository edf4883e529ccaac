// `embed`, `train`, `runs`: features and training runs.
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors.js';
import type { BackendName, RunDeletion, RunSummary, TrainOptions } from '../../../shared/types.js';
import { describeLeftOut, whyNoTestScore } from '../../../shared/left-out.js';
import { TRAIN_OPTIONS } from '../../../shared/train-options.js';
import { defaultBackbone } from '../../ml/index.js';
import { flagOf, trainFlags } from './train-flags.js';
import { action, formatSeconds, interruptSignal, optionsOf, output, pct, progressBar, table, withProject } from '../output.js';

// `embed` shares these flags with `train`: both come from the table of train options.
const backendOption = () => flagOf(TRAIN_OPTIONS.backend);
/** embed's --backend: as train's, but features run on the measured feature engine whatever it names, so its help says that. */
const embedBackendOption = () =>
  flagOf({
    ...TRAIN_OPTIONS.backend,
    help: "as train's; it does not choose the feature engine, which is measured per backbone (`backends` shows it; TRIPLET_STUDIO_ENGINE=<engine> forces one)",
  });
const resizeOption = () => flagOf(TRAIN_OPTIONS.resize);
const exifOption = () => flagOf(TRAIN_OPTIONS.exif);

export function register(program: Command): void {
  program
    .command('embed')
    .description('compute and cache backbone features for every image that has none yet (resumes after an interruption)')
    .argument('<dir>', 'project folder')
    .option('--backbone <id>', 'backbone id (see `triplet-studio backends`; default: as for train)')
    .addOption(embedBackendOption())
    .addOption(resizeOption())
    .addOption(exifOption())
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ backbone?: string; backend?: BackendName; resize?: 'nearest' | 'antialias'; exif?: boolean }>(cmd);
        const backbone = opts.backbone ?? defaultBackbone();
        const bar = progressBar();
        const interrupt = interruptSignal();
        const prep = { resize: opts.resize, exif: opts.exif };
        try {
          const r = await withProject(dir, (p) => p.embed(backbone, { backend: opts.backend, prep, signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          output(opts.json, r, () =>
            [
              `Features (${r.backbone}, ${r.preprocessing}, weights ${r.weights}): ${r.computed} computed, ${r.cached} already cached, ${r.failed.length} failed${r.backend ? ` (${r.engine}, ${r.seconds.toFixed(1)} s)` : ''}`,
              ...r.failed.map((f) => `  failed ${f.path}: ${f.reason}`),
              ...(r.engineChoice ? [`Engine ${r.engineChoice}.`] : []),
              ...(r.fallbacks ?? []).map((f) => `  ${f}`),
            ].join('\n'),
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  const train = program
    .command('train')
    .description('train an encoder on the active train triplets and score the active test triplets')
    .argument('<dir>', 'project folder');
  for (const flag of trainFlags()) train.addOption(flag);
  train
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
        output(optionsOf(cmd).json, runs, () => runsTable(runs));
      }),
    );

  program
    .command('delete-run')
    .description('delete runs for good: their epochs, scores, cached maps and model files (numbers are not given again); it cannot be undone, so it needs --yes')
    .argument('<dir>', 'project folder')
    .argument('<ids...>', 'run numbers, as `runs` lists them')
    .option('--yes', 'delete them (without it: say what would be deleted, and delete nothing)')
    .action(
      action(async (dir: string, ids: string[], _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ yes?: boolean }>(cmd);
        const runIds = runIdsArg(ids);
        const what = (r: RunDeletion) => `run${r.deleted.length > 1 ? 's' : ''} ${r.deleted.join(', ')} (${megabytes(r.bytes)} of model files)`;
        if (!opts.yes) {
          const preview = await withProject(dir, (p) => p.previewRunDeletion(runIds));
          // The details carry what --yes would delete, so a script can show it before asking.
          throw new AppError('BAD_ARGUMENTS', `This deletes ${what(preview)} for good; it cannot be undone. Add --yes to delete (nothing was deleted).`, {
            wouldDelete: preview.deleted,
            bytes: preview.bytes,
          });
        }
        const r = await withProject(dir, (p) => p.deleteRuns(runIds));
        output(opts.json, r, () => [`Deleted ${what(r)}.`, ...(r.left ?? []).map((l) => `Did not remove ${l.dir} (${l.reason})${l.outside ? '' : ': remove it yourself, or open the project again later to retry'}.`)].join('\n'));
      }),
    );
}

/** Run numbers as typed (`runs` lists them). */
function runIdsArg(ids: string[]): number[] {
  return ids.map((s) => {
    if (!/^[1-9]\d*$/.test(s)) throw new AppError('BAD_ARGUMENTS', `"${s}" is not a run number (see \`runs\`).`);
    return Number(s);
  });
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The `runs` listing: one row per run. */
export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs yet.';
  return table(
    ['run', 'status', 'created', 'backbone', 'backend', 'train', 'test', 'best epoch', 'test acc', 'on labels now', 'baseline (at training)', 'seconds', 'preprocessing', 'left out (train/test)'],
    runs.map((r) => [
      r.id,
      r.status,
      r.createdAt.replace('T', ' ').slice(0, 19),
      r.options.backbone,
      ifFinished(r, r.backend),
      ifFinished(r, r.trainCount),
      ifFinished(r, r.testCount),
      r.bestEpoch ?? '-',
      pct(r.testAccuracy),
      labelsNow(r),
      pct(r.baselineAccuracy),
      totalSeconds(r).toFixed(1),
      r.preprocessing ?? '-',
      r.leftOut && (r.leftOut.trainCount || r.leftOut.testCount) ? `${r.leftOut.trainCount}/${r.leftOut.testCount}` : '-',
    ]),
  );
}

/** A total stored when a run finishes; '-' for a run that is running, was cancelled or failed (it counted nothing, so 0 would mislead). */
const ifFinished = (r: RunSummary, v: string | number): string | number => (r.status === 'finished' && v !== '' ? v : '-');

/** The left-out images by name and why (first 20). */
function leftOutDetail(r: RunSummary): string[] {
  const l = r.leftOut!;
  const lines = l.images.slice(0, 20).map((i) => `    ${i.name}: ${i.reason}${i.detail ? ` (${i.detail})` : ''}`);
  if (l.imageCount > 20) lines.push(`    … and ${l.imageCount - 20} more (runs --json lists up to 1,000)`);
  return lines;
}

const totalSeconds = (r: RunSummary): number => Object.values(r.timings).reduce((a, b) => a + b, 0);

export function describeRun(r: RunSummary): string {
  const o = r.options;
  return [
    r.status === 'finished' && r.testCount === 0
      ? `Run ${r.id} finished: ${whyNoTestScore(r.leftOut?.testCount ?? 0, 'import a test file, or move triplets to test with edit --split test')}`
      : `Run ${r.id} ${r.status}: test accuracy ${pct(r.testAccuracy)} on ${r.testCount} triplets (untrained baseline ${pct(r.baselineAccuracy)})`,
    `  ${countsText(r)}, ${epochText(r)}, backend ${r.backend}, ${formatSeconds(totalSeconds(r))}`,
    ...(r.valCount > 0 && r.valCount < FEW_VALIDATION ? [`  only ${r.valCount} validation triplets: the best epoch rests on little (more images held out, or no validation, may do better)`] : []),
    `  preprocessing ${r.preprocessing ?? `${o.resize ?? 'antialias'} resize`}${r.weights ? `, weights ${r.weights}` : ''}`,
    ...(describeLeftOut(r.leftOut) ? [`  ${describeLeftOut(r.leftOut)}`, ...leftOutDetail(r)] : []),
    `  backbone ${o.backbone}, distance ${o.distance}, margin ${o.margin}, lr ${o.learningRate}, batch ${o.batchSize}, dropout ${o.dropout}, ${o.hidden}→${o.embedding}${(o.ensemble ?? 1) > 1 ? ` ×${o.ensemble}` : ''}${o.derived !== undefined ? `, implied triplets ×${o.derived}` : ''}${o.weightDecay ? `, weight decay ${o.weightDecay}` : ''}${o.seed !== undefined ? `, seed ${o.seed}` : ''}`,
  ].join('\n');
}

/** Below this many validation triplets the chosen epoch says little (one triplet is over 3 points of validation accuracy). */
const FEW_VALIDATION = 30;

/**
 * How many triplets trained. After a refit the final model trained on every train triplet, while the
 * epoch was chosen by a first pass on fewer: both are said, so the counts add up.
 */
function countsText(r: RunSummary): string {
  const v = r.validation;
  if (r.options.refit && r.valCount > 0 && v) {
    const firstPass = r.trainCount - r.valCount - v.unused;
    return `${r.trainCount} train triplets (refit on all of them; the epoch was chosen on ${r.valCount} validation triplets of ${v.heldImages} held-out images, training on ${firstPass})`;
  }
  return `${r.trainCount} train / ${r.valCount} validation triplets${validationNote(r)}`;
}

/** "best epoch 1 of 3 (stopped early; 12 allowed)": the epochs that ran, not only those allowed. */
function epochText(r: RunSummary): string {
  const ran = r.epochs.length || r.options.epochs;
  return `best epoch ${r.bestEpoch} of ${ran}${ran < r.options.epochs ? ` (stopped early; ${r.options.epochs} allowed)` : ''}`;
}

/** " (N images held out, M triplets unused)" when the run validated on held-out images; ", streamed from SQLite" for a large set. */
function validationNote(r: RunSummary): string {
  const v = r.validation;
  const streamed = r.tripletSource === 'sqlite' ? ', streamed from SQLite' : '';
  return (v && v.heldImages > 0 ? ` (${v.heldImages} images held out, ${v.unused} triplets unused)` : '') + streamed;
}

/** A finished run on the test labels as they are now (its stored test accuracy is from when it finished). */
function labelsNow(r: RunSummary): string {
  if (!r.now) return '-';
  // Nothing scored (no test triplets, or none scorable): no figure, as the app's "—", not "- of 0".
  if (r.now.accuracy === null) return r.now.unscored > 0 ? `- (${r.now.unscored} unscored)` : '-';
  const acc = `${pct(r.now.accuracy)} of ${r.now.scored}`;
  return r.now.unscored > 0 ? `${acc} (${r.now.unscored} unscored)` : acc;
}
