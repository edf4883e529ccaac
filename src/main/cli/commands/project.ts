// `init DIR`: create a project folder.
import type { Command } from 'commander';
import { Project } from '../../project/project.js';
import { action, optionsOf, output } from '../output.js';

export function register(program: Command): void {
  program
    .command('init')
    .description('create a project in DIR (a folder holding project.sqlite, thumbs/ and models/)')
    .argument('<dir>', 'project folder (created if missing)')
    .action(
      action((dir: string, _opts: unknown, cmd: Command) => {
        const project = Project.init(dir);
        try {
          const info = project.info();
          output(optionsOf(cmd).json, info, () => `Created project ${info.dir}`);
        } finally {
          project.close();
        }
      }),
    );
}
