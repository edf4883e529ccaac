// The `triplet-studio` command line: the same engine as the app (the Project class), headless.
import { Command, CommanderError } from 'commander';
import * as audit from './commands/audit.js';
import * as backbone from './commands/backbone.js';
import * as backends from './commands/backends.js';
import * as edit from './commands/edit.js';
import * as images from './commands/images.js';
import * as map from './commands/map.js';
import * as project from './commands/project.js';
import * as review from './commands/review.js';
import * as similar from './commands/similar.js';
import * as model from './commands/model.js';
import * as store from './commands/store.js';
import * as suggest from './commands/suggest.js';
import * as train from './commands/train.js';
import * as triplets from './commands/triplets.js';

type CommandModule = { register(program: Command): void };

/** Command modules, in the order `--help` lists them. */
const MODULES: CommandModule[] = [project, images, triplets, edit, train, review, backends, backbone];
MODULES.push(store);
MODULES.push(suggest);
MODULES.push(audit);
MODULES.push(similar);
MODULES.push(model);
MODULES.push(map);

export function buildProgram(): Command {
  const program = new Command('triplet-studio')
    .description('Metric learning on image triplets: import images and triplets, train, evaluate, review mistakes.')
    .option('--json', 'print exactly one JSON document on stdout')
    .showHelpAfterError('(add --help for usage)')
    // Usage errors are thrown, not exited on, so `--json` still gets its one document (main below);
    // the commands registered after this inherit it.
    .exitOverride();
  for (const m of MODULES) m.register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    process.exitCode = err.exitCode;
    // Help and --version end with 0; a usage error is already on stderr, and with --json it is the
    // document on stdout too.
    if (err.exitCode !== 0 && argv.includes('--json')) {
      // No command at all: commander prints the help and names its own step ("(outputHelp)").
      const message = err.code === 'commander.help' || err.message === '(outputHelp)' ? 'Name a command (triplet-studio --help lists them).' : err.message.replace(/^error: /, '');
      process.stdout.write(JSON.stringify({ error: { code: 'BAD_ARGUMENTS', message } }, null, 2) + '\n');
    }
  }
}
