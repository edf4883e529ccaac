// `import-triplets DIR FILE --split S [--skip-invalid] [--allow-leakage]` and `export-triplets DIR --split S FILE`.
import { Option, type Command } from 'commander';
import type { Split } from '../../../shared/types.js';
import { reportLines } from '../../triplets/report.js';
import { action, interruptSignal, optionsOf, output, progressBar, refuseToReplace, withProject } from '../output.js';

const splitOption = () => new Option('--split <split>', 'which split').choices(['train', 'test']).makeOptionMandatory();

const n = (x: number) => x.toLocaleString('en-US');
/** Lines that repeat an earlier line of the same file are kept (each a triplet): said, never silent. */
const repeatNote = (k: number) => (k ? ` (${n(k)} of them repeat${k === 1 ? 's' : ''} an earlier line of the file, each kept)` : '');

export function register(program: Command): void {
  program
    .command('import-triplets')
    .description('import a triplet file ("anchor positive negative" per line); refused as a whole if any line is invalid or leaks across train/test')
    .argument('<dir>', 'project folder')
    .argument('<file>', 'triplet file')
    .addOption(splitOption())
    .option('--skip-invalid', 'import the valid lines and report the others (leaking lines are skipped too)')
    .option('--allow-leakage', 'import lines whose triplet, or all of whose images, are in the other split')
    .action(
      action(async (dir: string, file: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split: Split; skipInvalid?: boolean; allowLeakage?: boolean }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const r = await withProject(dir, (p) =>
            p.importTriplets(file, opts.split, { skipInvalid: opts.skipInvalid, allowLeakage: opts.allowLeakage }, { signal: interrupt.signal, onProgress: bar.onProgress }),
          );
          bar.stop();
          // Capped lists (the first 1,000 of each kind, then a count): never megabytes of stderr.
          if (!opts.json) for (const line of reportLines(r)) process.stderr.write(line + '\n');
          else if (r.leakage.triplets) process.stderr.write(`WARNING: train/test leakage in ${n(r.leakage.triplets)} line${r.leakage.triplets === 1 ? '' : 's'} (see "leakage" in the report)\n`);
          output(opts.json, r, () => {
            const changed = r.conflictCount - r.duplicates;
            return (
              `Triplets (${r.split}): ${n(r.added)} added${repeatNote(r.repeatedInFile)}, ${n(r.duplicates)} already present, ` +
              `${n(changed)} not added (changed or contradicted since), ${n(r.invalidCount)} invalid lines skipped` +
              (r.leakage.triplets ? `, ${n(r.leakage.triplets)} leaking lines ${r.leakage.allowed ? 'imported' : 'skipped'}` : '')
            );
          });
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('export-triplets')
    .description("write a split's active triplets in import order, one \"anchor positive negative\" per line")
    .argument('<dir>', 'project folder')
    .addOption(splitOption())
    .argument('<file>', 'output file')
    .option('--force', 'replace FILE if it exists')
    .action(
      action(async (dir: string, file: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split: Split; force?: boolean }>(cmd);
        refuseToReplace(dir, [file], opts.force);
        const r = await withProject(dir, (p) => p.exportTriplets(opts.split, file));
        output(opts.json, r, () => `Wrote ${r.count} ${opts.split} triplets to ${r.file}`);
      }),
    );
}
