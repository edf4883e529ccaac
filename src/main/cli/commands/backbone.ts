// `fetch-backbone ID [--from PATH] [--url URL]`: installs a backbone's weights into the backbones
// folder (Keras cache / a path / a download with resume and checksum), and `engines`: which feature
// engines can run here and why the others cannot.
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors.js';
import { acquireBackbone, mirrorUrl, type AcquireProgress } from '../../ml/backbone/acquire/index.js';
import { BACKBONES, listBackbones } from '../../ml/backbone/registry.js';
import { featureEngineReport } from '../../ml/features/engine-choice.js';
import { probeFeatureEngines } from '../../ml/features/onnx-engine.js';
import { featureChoiceText } from './backends-features.js';
import { action, interruptSignal, optionsOf, output, progressBar, table } from '../output.js';

interface FetchOptions {
  from?: string;
  url?: string;
  md5?: string;
  noChecksum?: boolean;
  checksum?: boolean;
}

/** Maps acquire progress onto the shared CLI progress bar (bytes for downloads, files for copies). */
function progressAdapter(bar: ReturnType<typeof progressBar>): (p: AcquireProgress) => void {
  let lastPhase = '';
  return (p) => {
    const hasCount = p.received !== undefined && p.total !== undefined && p.total > 0;
    const phase = p.file && p.phase === 'download' ? `download ${p.file}` : p.phase;
    if (hasCount) {
      const mb = p.phase === 'download';
      bar.onProgress({
        phase,
        done: mb ? Math.round(p.received! / 1024) : p.received!,
        total: mb ? Math.round(p.total! / 1024) : p.total!,
        message: p.message,
      });
    } else if (p.phase !== lastPhase) {
      bar.stop();
      if (process.stderr.isTTY) process.stderr.write(`${p.message}…\n`);
    }
    lastPhase = p.phase;
  };
}

export function register(program: Command): void {
  program
    .command('fetch-backbone')
    .argument('<id>', `backbone id (${Object.keys(BACKBONES).join(', ')})`)
    .description(
      'install backbone weights: resnet50 from the Keras cache (~/.keras/models, $KERAS_HOME/models), --from an .h5 or folder, ' +
        'or a download from Keras’s address (resumable, md5-checked); MobileNet from --from a tfjs folder or its tfjs-models address',
    )
    .option('--from <path>', 'a file or folder you already have (Keras .h5, or a folder with model.json + shards)')
    .option('--url <url>', 'download from this address instead of the canonical one')
    .option('--md5 <hex>', 'expected md5 of the resnet50 .h5 (default: the hash in Keras’s source)')
    .option('--no-checksum', 'do not check the .h5 md5 (for your own fine-tuned Keras weights)')
    .action(
      action(async (id: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<FetchOptions>(cmd);
        // Options that contradict each other are refused, not one silently dropped.
        if (opts.from && opts.url) throw new AppError('BAD_ARGUMENTS', 'Give --from or --url, not both.');
        if (opts.md5 && opts.checksum === false) throw new AppError('BAD_ARGUMENTS', 'Give --md5 or --no-checksum, not both.');
        const bar = progressBar();
        const { signal, dispose } = interruptSignal();
        try {
          const md5 = opts.checksum === false ? null : opts.md5;
          const r = await acquireBackbone(id, { from: opts.from, url: opts.url ?? mirrorUrl(id), md5, signal, onProgress: progressAdapter(bar) });
          bar.stop();
          output(opts.json, r, () =>
            [
              `Installed ${r.id} into ${r.dir}`,
              `  from ${r.source}: ${r.origin}`,
              ...(r.md5 ? [`  md5 ${r.md5} (verified)`] : []),
              ...(r.sha256 ? [`  sha256 ${r.sha256}`] : []),
              `  in ${r.seconds.toFixed(1)} s`,
            ].join('\n'),
          );
        } finally {
          bar.stop();
          dispose();
        }
      }),
    );

  program
    .command('engines')
    .description('show the feature-extraction engines (onnxruntime, tfjs) and why unavailable ones are not used')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        const engines = await probeFeatureEngines();
        // What each installed backbone runs on: the measured choice as remembered (`backends` measures).
        const featureChoices = await featureEngineReport(listBackbones().filter((b) => b.installed).map((b) => b.id));
        output(optionsOf(cmd).json, { engines, featureChoices }, () =>
          [
            table(
              ['engine', 'status', 'detail'],
              engines.map((e) => [e.name, e.available ? 'available' : `unavailable: ${e.reason ?? 'unknown reason'}`, e.detail ?? '']),
            ),
            '',
            ...featureChoiceText(featureChoices),
          ].join('\n'),
        );
      }),
    );
}
