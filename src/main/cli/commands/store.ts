// `check DIR [--full]`: checks a project's store without changing it (quick_check, or the full integrity_check).
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DB_FILE } from '../../project/project.js';
import { checkStoreFile } from '../../store/check.js';
import { action, optionsOf, output } from '../output.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('check a project file (header, application id, quick_check; --full: integrity_check); exit 1 when it has problems')
    .argument('<dir>', 'project folder')
    .option('--full', 'run the full integrity_check (slower) instead of quick_check')
    .action(
      action((dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ full?: boolean }>(cmd);
        const report = checkStoreFile(join(resolve(dir), DB_FILE), !!opts.full);
        output(opts.json, report, () =>
          report.ok
            ? `${report.file}: ok (${report.check}, schema ${report.schema})`
            : [`${report.file}: ${report.problems.length} problem(s) (${report.check})`, ...report.problems.map((p) => `  ${p}`)].join('\n'),
        );
        if (!report.ok) process.exitCode = 1;
      }),
    );
}
