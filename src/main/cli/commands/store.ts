// `check DIR [--full]`: checks a project's store without changing it (quick_check, or the full integrity_check).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DB_FILE, Project } from '../../project/project.js';
import { checkStoreFile, snapshotsOf } from '../../store/check.js';
import { action, optionsOf, output } from '../output.js';

const isFolder = (dir: string): boolean => existsSync(dir) && statSync(dir).isDirectory();

export function register(program: Command): void {
  program
    .command('check')
    .description('check a project file (header, application id, quick_check; --full: integrity_check); exit 1 when it has problems')
    .argument('<dir>', 'project folder')
    .option('--full', 'run the full integrity_check (slower) instead of quick_check')
    .action(
      action((dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ full?: boolean }>(cmd);
        const abs = resolve(dir);
        const file = join(abs, DB_FILE);
        // A folder with neither a store nor a snapshot of one is no project (say so, as every other
        // command does); with a snapshot left, the report names it so the store can be restored.
        if (!existsSync(file) && !(isFolder(abs) && snapshotsOf(file).length)) Project.assertOpenable(dir);
        const report = checkStoreFile(file, !!opts.full);
        output(opts.json, report, () =>
          report.ok
            ? `${report.file}: ok (${report.check}, schema ${report.schema})`
            : [
                `${report.file}: ${report.problems.length} problem(s) (${report.check})`,
                ...report.problems.map((p) => `  ${p}`),
                ...(report.snapshots.length ? ['Snapshots, newest first (copy one over the store to restore it):', ...report.snapshots.map((f) => `  ${f}`)] : []),
              ].join('\n'),
        );
        if (!report.ok) process.exitCode = 1;
      }),
    );
}
