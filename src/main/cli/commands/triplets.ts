// `import-triplets DIR FILE --split S [--skip-invalid]` and `export-triplets DIR --split S FILE`.
import { Option, type Command } from 'commander';
import type { Split } from '../../../shared/types.js';
import { formatIssue } from '../../triplets/parse.js';
import { action, optionsOf, output, withProject } from '../output.js';

const splitOption = () => new Option('--split <split>', 'which split').choices(['train', 'test']).makeOptionMandatory();

export function register(program: Command): void {
  program
    .command('import-triplets')
    .description('import a triplet file ("anchor positive negative" per line); refused as a whole if any line is invalid')
    .argument('<dir>', 'project folder')
    .argument('<file>', 'triplet file')
    .addOption(splitOption())
    .option('--skip-invalid', 'import the valid lines and report the others')
    .action(
      action(async (dir: string, file: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split: Split; skipInvalid?: boolean }>(cmd);
        const r = await withProject(dir, (p) => p.importTriplets(file, opts.split, { skipInvalid: opts.skipInvalid }));
        if (!opts.json) for (const issue of r.invalid) process.stderr.write(`skipped ${formatIssue(issue)}\n`);
        output(opts.json, r, () => `Triplets (${r.split}): ${r.added} added, ${r.duplicates} already present, ${r.invalid.length} invalid lines skipped`);
      }),
    );

  program
    .command('export-triplets')
    .description("write a split's active triplets in import order, one \"anchor positive negative\" per line")
    .argument('<dir>', 'project folder')
    .addOption(splitOption())
    .argument('<file>', 'output file')
    .action(
      action(async (dir: string, file: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split: Split }>(cmd);
        const r = await withProject(dir, (p) => p.exportTriplets(opts.split, file));
        output(opts.json, r, () => `Wrote ${r.count} ${opts.split} triplets to ${r.file}`);
      }),
    );
}
