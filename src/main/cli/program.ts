// The `triplet-studio` command line: the same engine as the app (the Project class), headless.
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import * as backends from './commands/backends.js';
import * as images from './commands/images.js';
import * as project from './commands/project.js';
import * as review from './commands/review.js';
import * as train from './commands/train.js';
import * as triplets from './commands/triplets.js';

type CommandModule = { register(program: Command): void };

export async function buildProgram(): Promise<Command> {
  const program = new Command('triplet-studio')
    .description('Metric learning on image triplets: import images and triplets, train, evaluate, review mistakes.')
    .option('--json', 'print exactly one JSON document on stdout')
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const m of [project, images, triplets, train, review, backends] as CommandModule[]) m.register(program);
  for (const m of await optionalModules()) m.register(program);
  return program;
}

/** Command modules other helpers own (e.g. fetch-backbone), loaded when present. */
async function optionalModules(): Promise<CommandModule[]> {
  const out: CommandModule[] = [];
  for (const name of ['backbone']) {
    const ts = new URL(`./commands/${name}.ts`, import.meta.url);
    const js = new URL(`./commands/${name}.js`, import.meta.url);
    if (!existsSync(ts) && !existsSync(js)) continue;
    out.push((await import(existsSync(ts) ? ts.href : js.href)) as CommandModule);
  }
  return out;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = await buildProgram();
  await program.parseAsync(argv);
}
