// `backends`: which compute backends exist here, which one is used, and why the others are not.
import type { Command } from 'commander';
import { listBackbones } from '../../ml/index.js';
import { trainBackendReport } from '../../ml/backend/train-choice.js';
import { featureEngineReport } from '../../ml/features/engine-choice.js';
import { probeFeatureEngines } from '../../ml/features/onnx-engine.js';
import { choiceSentence, featureChoiceText } from './backends-features.js';
import { action, optionsOf, output, table } from '../output.js';
import { tfjsBackendRole } from '../../../shared/compute-text.js';

/** What to run to add a package that is not installed (npm drops optional packages whose install fails). */
const ADD_HINTS: Record<string, string> = {
  '@tensorflow/tfjs-node-gpu':
    'npm install @tensorflow/tfjs-node-gpu (Linux x64 with an NVIDIA GPU and the CUDA and cuDNN versions its README names; its install downloads libtensorflow)',
  '@tensorflow/tfjs-node': 'npm install @tensorflow/tfjs-node (its install downloads libtensorflow)',
  '@tensorflow/tfjs-backend-wasm': 'npm ci (a regular dependency: reinstall)',
  'onnxruntime-node': 'npm ci (onnxruntime-node ships its CPU binaries; reinstall and read npm\'s output)',
};

/** The hint for a package that is missing, else nothing. */
function addHint(pkg: string | undefined, reason: string | undefined): string | undefined {
  return pkg && reason === 'not installed' ? ADD_HINTS[pkg] : undefined;
}

export function register(program: Command): void {
  program
    .command('backends')
    .description('show the training backends and feature engines (available, used, why not) and the backbones')
    .option('--measure', 'time the training backends and feature engines again now (otherwise the choices remembered for this machine are shown)')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        const report = await trainBackendReport({ remeasure: optionsOf<{ measure?: boolean }>(cmd).measure });
        const backbones = listBackbones();
        const engines = await probeFeatureEngines();
        // Each installed backbone's feature engine: remembered, else measured now (as at the first embed).
        const featureChoices = await featureEngineReport(backbones.filter((b) => b.installed).map((b) => b.id), { measure: true, remeasure: optionsOf<{ measure?: boolean }>(cmd).measure });
        const statuses = report.statuses.map((st) => ({ ...st, hint: addHint(st.pkg, st.reason) }));
        const engineRows = engines.map((e) => ({ ...e, hint: addHint(e.name === 'onnxruntime' ? 'onnxruntime-node' : undefined, e.reason) }));
        const hints = [...statuses, ...engineRows].filter((x) => x.hint).map((x) => `  ${x.name}: ${x.hint}`);
        output(optionsOf(cmd).json, { ...report, statuses, engines: engineRows, featureChoices, backbones }, () =>
          [
            table(
              ['backend', 'kind', 'package', 'status'],
              report.statuses.map((s) => [
                s.name,
                s.kind,
                s.pkg,
                tfjsBackendRole(report, s.name) || (s.available ? 'available' : `unavailable: ${s.reason ?? 'unknown reason'}`),
              ]),
            ),
            ...(report.choice ? [choiceSentence('Training', report.choice)] : []),
            '',
            ...featureChoiceText(featureChoices),
            table(
              ['backbone', 'dim', 'installed', 'path'],
              backbones.map((b) => [b.id, b.dim, b.installed ? 'yes' : 'no', b.path]),
            ),
            ...(hints.length ? ['', 'To add what is missing:', ...hints] : []),
            '',
            'GPU: `npm run gpu` installs the CUDA extras where an NVIDIA driver is present and says why not elsewhere.',
          ].join('\n'),
        );
      }),
    );
}
