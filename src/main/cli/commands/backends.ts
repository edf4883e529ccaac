// `backends`: which compute backends exist here, which one is used, and why the others are not.
import type { Command } from 'commander';
import { initBackend, listBackbones } from '../../ml/index.js';
import { probeFeatureEngines } from '../../ml/features/onnx-engine.js';
import { action, optionsOf, output, table } from '../output.js';

export function register(program: Command): void {
  program
    .command('backends')
    .description('show the training backends and feature engines (available, used, why not) and the backbones')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        const report = await initBackend();
        const backbones = listBackbones();
        const engines = await probeFeatureEngines();
        const usedEngine = engines.find((e) => e.available)?.name;
        output(optionsOf(cmd).json, { ...report, engines, backbones }, () =>
          [
            table(
              ['backend', 'kind', 'package', 'status'],
              report.statuses.map((s) => [
                s.name,
                s.kind,
                s.pkg,
                s.name === report.used ? 'used' : s.available ? 'available' : `unavailable: ${s.reason ?? 'unknown reason'}`,
              ]),
            ),
            '',
            table(
              ['feature engine', 'status', 'detail'],
              engines.map((e) => [e.name, e.name === usedEngine ? 'used' : e.available ? 'available' : `unavailable: ${e.reason ?? 'unknown reason'}`, e.detail ?? '']),
            ),
            '',
            table(
              ['backbone', 'dim', 'installed', 'path'],
              backbones.map((b) => [b.id, b.dim, b.installed ? 'yes' : 'no', b.path]),
            ),
          ].join('\n'),
        );
      }),
    );
}
