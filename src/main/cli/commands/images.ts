// `import-images DIR FOLDER`: add every image under FOLDER (recursively) to the project.
// `images DIR`: every image with the files it was imported from. `flagged DIR`: triplets to check.
// `remove-images DIR NAME… | --folder F | --search S`: remove images no triplet uses (undoable).
import { MOVED_FOLDER_HINT } from '../../../shared/left-out.js';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors.js';
import type { ImageImportReport, ImageRemovalReport, ImageSelection } from '../../../shared/types.js';
import { NameResolver } from '../../images/names.js';
import { resolveAllWritten } from '../../triplets/written-names.js';
import type { Project } from '../../project/project.js';
import { action, interruptSignal, numberArg, optionsOf, output, progressBar, withProject } from '../output.js';
import { encodeName } from '../../triplets/escape.js';

export function register(program: Command): void {
  program
    .command('import-images')
    .description('import the images under FOLDER (recursive; hidden files skipped; re-import only reads changed files)')
    .argument('<dir>', 'project folder')
    .argument('<folder>', 'folder of images (jpg, png, webp, gif, tiff, avif)')
    .option('--concurrency <n>', 'images decoded at once', numberArg('concurrency', true, 1))
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
    .option('--missing', 'only the images whose file is gone (moved, deleted, or on a drive not connected): no features can be computed for them')
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ missing?: boolean }>(cmd);
        const all = await withProject(dir, (p) => p.imagesWithPaths());
        const list = opts.missing ? all.filter((i) => i.missing) : all;
        output(opts.json, list, () => {
          if (!all.length) return 'No images yet: import a folder with `import-images DIR FOLDER`.';
          if (!list.length) return `No file is missing: every one of the ${all.length} images is where it was imported from.`;
          const rows = list.map((i) => [`${i.id}\t${encodeName(i.name)}\t${i.width}×${i.height}\t${i.sha256.slice(0, 12)}${i.missing ? '\tFILE MISSING' : ''}`, ...i.paths.map((p) => `\t  ${p}`)].join('\n'));
          const missing = all.filter((i) => i.missing).length;
          return rows.join('\n') + (missing ? `\n${missing} of ${all.length} images have no file where it was imported from. ${MOVED_FOLDER_HINT}` : '');
        });
      }),
    );

  program
    .command('remove-images')
    .description('remove images from the project (files on disk untouched): NAMEs as in triplet files, or every image in --folder / matching --search; images a triplet uses are kept and listed; undo with `undo`')
    .argument('<dir>', 'project folder')
    .argument('[names...]', 'images as in triplet files (relative path, or a unique file name)')
    .option('--folder <folder>', 'every image in this folder of the Library ("" for the top level)')
    .option('--search <text>', 'every image whose name contains TEXT')
    .option('--dry-run', 'only say what would be removed')
    .action(
      action(async (dir: string, names: string[], _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ folder?: string; search?: string; dryRun?: boolean }>(cmd);
        const report = await withProject(dir, (p) => p.removeImages(selectionOf(p, names, opts), { dryRun: opts.dryRun }));
        output(opts.json, report, () => removalSummary(report, dir));
        // Every chosen image kept: a script must not take that for a removal.
        if (!report.dryRun && report.removed === 0) process.exitCode = 1;
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
          if (opts.clear) p.clearTripletFlags(flaggedIds(opts.clear, new Set(p.flaggedTriplets().map((f) => f.tripletId))));
          return p.flaggedTriplets();
        });
        output(opts.json, flags, () => (flags.length ? flags.map((f) => `triplet ${f.tripletId}: ${f.reason}`).join('\n') : 'No flagged triplets.'));
      }),
    );
}

/** The ids `--clear` names: each a triplet id that is flagged now, or nothing is cleared (BAD_ARGUMENTS, NOT_FOUND). */
function flaggedIds(args: string[], flagged: ReadonlySet<number>): number[] {
  const ids = args.map((a) => {
    const n = Number(a);
    if (!/^\s*\d+\s*$/.test(a) || !Number.isSafeInteger(n) || n < 1) throw new AppError('BAD_ARGUMENTS', `--clear: "${a}" is not a triplet id.`);
    return n;
  });
  const unflagged = ids.filter((id) => !flagged.has(id));
  if (unflagged.length) {
    const which = unflagged.map((id) => `#${id}`).join(', ');
    throw new AppError('NOT_FOUND', `${unflagged.length === 1 ? 'Triplet' : 'Triplets'} ${which} ${unflagged.length === 1 ? 'has' : 'have'} no flag (see \`triplet-studio flagged\`); nothing was cleared.`);
  }
  return ids;
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

/** NAMEs, or --folder / --search: one way of choosing, so a typo cannot widen the removal to everything. */
function selectionOf(p: Project, names: string[], o: { folder?: string; search?: string }): ImageSelection {
  if (names.length && (o.folder !== undefined || o.search !== undefined)) {
    throw new AppError('BAD_ARGUMENTS', 'Give image names, or --folder / --search, not both.');
  }
  if (names.length) return { ids: [...new Set(resolveAllWritten(new NameResolver(p.db), names, ' (nothing was removed)').map((r) => r.id))] };
  if (o.folder === undefined && !o.search) throw new AppError('BAD_ARGUMENTS', 'Name the images to remove, or pass --folder or --search.');
  return { folder: o.folder, search: o.search || undefined };
}

/** The human summary of a removal: what went (or would), what was kept and why, and how to undo. */
function removalSummary(r: ImageRemovalReport, dir: string): string {
  const n = (k: number) => `${k} image${k === 1 ? '' : 's'}`;
  const head = r.dryRun ? `Would remove ${n(r.removed)}` : `Removed ${n(r.removed)}`;
  const more = (shown: number, all: number) => (all > shown ? [`  … and ${all - shown} more`] : []);
  return [
    `${head}${r.keptCount ? `; ${n(r.keptCount)} kept (used by triplets: delete or edit those first)` : ''}.`,
    ...r.names.map((name) => `  ${r.dryRun ? 'would remove' : 'removed'} ${name}`),
    ...more(r.names.length, r.removed),
    ...r.kept.map((k) => `  kept ${k.name}: used by ${k.triplets} triplet${k.triplets === 1 ? '' : 's'}`),
    ...more(r.kept.length, r.keptCount),
    ...(!r.dryRun && r.removed ? [`The files on disk are untouched. Undo with \`triplet-studio undo ${dir}\`.`] : []),
  ].join('\n');
}
