// `import-images DIR FOLDER`: add every image under FOLDER (recursively) to the project.
import type { Command } from 'commander';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, withProject } from '../output.js';

export function register(program: Command): void {
  program
    .command('import-images')
    .description('import the images under FOLDER (recursive; hidden files skipped; re-import only reads changed files)')
    .argument('<dir>', 'project folder')
    .argument('<folder>', 'folder of images (jpg, png, webp, gif, tiff, avif)')
    .option('--concurrency <n>', 'images decoded at once', numberArg('concurrency', true))
    .action(
      action(async (dir: string, folder: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ concurrency?: number }>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const report = await withProject(dir, (p) =>
            p.importImages(folder, { concurrency: opts.concurrency, signal: interrupt.signal, onProgress: bar.onProgress }),
          );
          bar.stop();
          output(opts.json, report, () =>
            [
              `Images: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped.length} skipped (${report.seconds.toFixed(1)} s)`,
              ...report.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
            ].join('\n'),
          );
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}
