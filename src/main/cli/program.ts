// The `triplet-studio` command line: the same engine as the app (the Project class), headless.
import { Command } from 'commander';
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
    .showHelpAfterError('(add --help for usage)');
  for (const m of MODULES) m.register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
