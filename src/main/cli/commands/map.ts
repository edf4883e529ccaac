// `map`: the embedding map's 2-D coordinates of every image (PCA or UMAP; same engine and cache as the app).
import { noFeaturesHint, noFeaturesText } from '../../../shared/left-out.js';
import { writeAtomic } from '../../project/matrix-files.js';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { base64ToFloat32 } from '../../../shared/b64.js';
import type { MapMethod, MapSourceKind } from '../../../shared/types.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, refuseToReplace, withProject } from '../output.js';
import { encodeName } from '../../triplets/escape.js';

export function register(program: Command): void {
  program
    .command('map')
    .description('2-D map of every image (PCA or UMAP of raw features, or of a run\'s encoder): name, x, y; cached in the project')
    .argument('<dir>', 'project folder')
    .option('--run <id>', 'run whose encoder to map (default: the latest finished run, else raw features)', numberArg('run', true, 1))
    .addOption(new Option('--method <method>', 'projection').choices(['pca', 'umap']).default('pca'))
    .addOption(new Option('--source <source>', 'raw backbone features or a run\'s encoder').choices(['features', 'run']))
    .hook('preAction', (cmd) => {
      // --run names a run's encoder: with --source features one of the two would be ignored.
      const o = cmd.opts<{ run?: number; source?: string }>();
      if (o.run !== undefined && o.source === 'features') cmd.error("error: option '--run <id>' cannot be used with '--source features'", { code: 'commander.conflictingOption' });
    })
    .option('--out <file>', 'write the points as JSON [{name, x, y}] to a file')
    .option('--force', 'replace the --out file if it exists')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ run?: number; method: MapMethod; source?: MapSourceKind; out?: string; force?: boolean }>(cmd);
        refuseToReplace(dir, [opts.out], opts.force);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const req = { method: opts.method, runId: opts.run, source: opts.source, computeFeatures: true };
          let readOnly = false;
          const m = await withProject(dir, (p) => {
            readOnly = p.readOnly;
            return p.cachedMap(req) ?? p.map(req, { signal: interrupt.signal, onProgress: bar.onProgress });
          });
          bar.stop();
          const xy = base64ToFloat32(m.xy);
          const points = m.names.map((name, i) => ({ name, x: xy[i * 2], y: xy[i * 2 + 1] }));
          const from = m.source.kind === 'run' ? `run ${m.source.runId}` : `${m.source.backbone} features`;
          // Read-only, nothing is computed, so images without features are counted here rather than by the reply.
          const without = readOnly ? m.totalImages - m.count : (m.unreadable ?? 0);
          const unreadable = without ? `\nNot on the map: ${noFeaturesText(without, '', readOnly)}. ${noFeaturesHint(readOnly)}` : '';
          const summary = `${m.method.toUpperCase()} map of ${m.count} of ${m.totalImages} images (${from})${m.cached ? ', from the cache' : `, ${m.seconds.toFixed(1)} s`}${unreadable}`;
          if (opts.out) {
            writeAtomic(resolve(opts.out), JSON.stringify(points) + '\n');
            output(opts.json, { file: resolve(opts.out), count: m.count, method: m.method, source: m.source, cached: m.cached, seconds: m.seconds }, () => `${summary}\nWrote ${resolve(opts.out!)}`);
          } else {
            output(opts.json, points, () => `${summary}\n` + points.map((p) => `${encodeName(p.name)}\t${p.x.toFixed(4)}\t${p.y.toFixed(4)}`).join('\n'));
          }
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}
