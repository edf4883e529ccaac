// Removing images from a project (the files on disk are never touched): one image, a folder, a name
// filter or a map selection. Labels are the asset, so an image that any triplet uses (train or test,
// active or excluded) is kept and listed, never removed with its triplets. The removal is one
// transaction and one undoable step in the edit history (triplets/history.ts recordImageRemoval);
// thumbnails stay on disk for undo. Importing the folder again adds the files again.
import { AppError } from '../../shared/errors.js';
import { IMAGE_REMOVAL_ACTION, type ImageRemovalReport, type ImageSelection } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { deleteImages, imageIdsMatching, imageSnapshotReader, tripletUses, type ImageSnapshot } from '../store/image-removal.js';
import { imageNameReader } from '../store/images.js';
import { recordImageRemoval } from '../triplets/history.js';

const LISTED = 20;

/** Removes the selected images that no triplet uses (with `dryRun`, only says what it would do). */
export function removeImages(db: Db, selection: ImageSelection, opts: { dryRun?: boolean } = {}): ImageRemovalReport {
  if (opts.dryRun) return plan(db, selection, true).report;
  return db.transaction(() => {
    const { report, removable } = plan(db, selection, false);
    if (!removable.length) return report;
    const snapshotOf = imageSnapshotReader(db);
    const snapshots = removable.map(snapshotOf).filter((s): s is ImageSnapshot => !!s);
    recordImageRemoval(db, snapshots, removalNote(report));
    deleteImages(db, removable);
    return report;
  })();
}

/** Which of the selected images can go (no triplet uses them), and the report that says so. */
function plan(db: Db, selection: ImageSelection, dryRun: boolean): { report: ImageRemovalReport; removable: number[] } {
  // No filter would mean every image no triplet uses: too much for a missing argument to decide.
  if (selection.folder === undefined && !selection.search && !selection.ids?.length) {
    throw new AppError('BAD_ARGUMENTS', 'Choose the images to remove: by id, folder or name filter.');
  }
  const ids = imageIdsMatching(db, selection);
  if (!ids.length) throw new AppError('NOT_FOUND', nothingMatches(selection));
  const uses = tripletUses(db, ids);
  const removable = ids.filter((id) => !uses.has(id));
  const nameOf = imageNameReader(db);
  const name = (id: number) => nameOf(id) ?? `#${id}`;
  const kept = [...uses].slice(0, LISTED).map(([id, triplets]) => ({ id, name: name(id), triplets }));
  return { report: { removed: removable.length, names: removable.slice(0, LISTED).map(name), kept, keptCount: uses.size, dryRun }, removable };
}

/** The history's words for a removal: how many, and the first few names. */
function removalNote(r: ImageRemovalReport): string {
  const shown = r.names.slice(0, 3).join(', ');
  const more = r.removed > 3 ? `, … (${r.removed - 3} more)` : '';
  return `${r.removed} image${r.removed === 1 ? '' : 's'} removed: ${shown}${more}`;
}

function nothingMatches(s: ImageSelection): string {
  if (s.ids?.length === 1 && s.search === undefined && s.folder === undefined) return `Image ${s.ids[0]} is not in the project.`;
  // A folder is the first part of image names (as triplet files write them), not the folder imported.
  const folder = s.folder ? ` No image name starts with "${s.folder}/": a folder here is the first part of image names, as \`images\` lists them.` : '';
  return `No image matches the selection; nothing was removed.${folder}`;
}

/** True for a history step that removed images (the Library reloads when it is undone or redone). */
export const isImageRemoval = (action: string): boolean => action === IMAGE_REMOVAL_ACTION;
