// `backends`: which compute backends exist here, which one is used, and why the others are not.
import type { Command } from 'commander';
import { initBackend, listBackbones } from '../../ml/index.js';
import { action, optionsOf, output, table } from '../output.js';

export function register(program: Command): void {
  program
    .command('backends')
    .description('show the compute backends (available, used, why not) and the backbones')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        const report = await initBackend();
        const backbones = listBackbones();
        output(optionsOf(cmd).json, { ...report, backbones }, () =>
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
              ['backbone', 'dim', 'installed', 'path'],
              backbones.map((b) => [b.id, b.dim, b.installed ? 'yes' : 'no', b.path]),
            ),
          ].join('\n'),
        );
      }),
    );
}
