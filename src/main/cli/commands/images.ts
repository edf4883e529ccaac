// `import-images DIR FOLDER`: add every image under FOLDER (recursively) to the project.
// `images DIR`: every image with the files it was imported from. `flagged DIR`: triplets to check.
import type { Command } from 'commander';
import type { ImageImportReport } from '../../../shared/types.js';
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
          output(opts.json, report, () => importSummary(report));
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );

  program
    .command('images')
    .description('list the images: name, content hash, upright size and every file each was imported from')
    .argument('<dir>', 'project folder')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<object>(cmd);
        const list = await withProject(dir, (p) => p.imagesWithPaths());
        output(opts.json, list, () =>
          list.map((i) => [`${i.id}\t${i.name}\t${i.width}×${i.height}\t${i.sha256.slice(0, 12)}`, ...i.paths.map((p) => `\t  ${p}`)].join('\n')).join('\n'),
        );
      }),
    );

  program
    .command('flagged')
    .description('list the triplets flagged because an image they use changed on disk (--clear IDS… after checking them)')
    .argument('<dir>', 'project folder')
    .option('--clear <ids...>', 'clear the flags of these triplet ids')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ clear?: string[] }>(cmd);
        const flags = await withProject(dir, (p) => {
          if (opts.clear) p.clearTripletFlags(opts.clear.map(Number).filter(Number.isInteger));
          return p.flaggedTriplets();
        });
        output(opts.json, flags, () => (flags.length ? flags.map((f) => `triplet ${f.tripletId}: ${f.reason}`).join('\n') : 'No flagged triplets.'));
      }),
    );
}

/** The human summary of an image import: counts, then each duplicate and skipped file. */
function importSummary(r: ImageImportReport): string {
  return [
    `Images: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.duplicates.length} duplicates, ${r.skipped.length} skipped (${r.seconds.toFixed(1)} s)`,
    ...(r.flagged ? [`  ${r.flagged} triplets flagged (an image changed on disk): see \`triplet-studio flagged\``] : []),
    ...r.duplicates.map((d) => `  duplicate ${d.path}: same bytes as ${d.of}`),
    ...r.needsEscaping.map((n) => `  name needs escaping in triplet files: ${JSON.stringify(n)}`),
    ...r.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
  ].join('\n');
}
