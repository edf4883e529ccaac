// Deleting runs, for good: a run's model is megabytes the edit history would have to keep, so the
// app asks first and the CLI wants --yes. The rows go in one transaction (epochs, scores and cached
// maps with them; the numbers stay taken), then the model folders; a folder a crash leaves behind is
// removed when the project next opens (model-files.ts removeStaleModelFolders).
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { RunDeletion } from '../../shared/types.js';
import { writeTransaction, type Db } from '../store/db.js';
import { deleteRunRows, runRow } from '../store/runs.js';
import { reallyInside } from '../util/inside-on-drive.js';
import { modelDirOf, partialDirOf, removeModelFolder } from './model-files.js';
import { liveRunIds } from './run-rows.js';

/** Bytes of a folder's files (what deleting it frees; a link to a folder elsewhere frees nothing, only the link goes). */
function folderBytes(dir: string): number {
  if (!existsSync(dir) || lstatSync(dir).isSymbolicLink()) return 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) bytes += statSync(join(e.parentPath, e.name)).size;
  return bytes;
}

/**
 * The model folders of runs (that they exist, and their size): what a deletion would free. Under a
 * `models` link leading out of the project (a project someone else made) they are `outside`: not
 * the project's to remove, and they free nothing.
 */
export function runFolders(projectDir: string, ids: readonly number[]): { dirs: string[]; bytes: number; outside: string[] } {
  const found = ids.flatMap((id) => [join(projectDir, modelDirOf(id)), partialDirOf(projectDir, modelDirOf(id))]).filter((d) => existsSync(d));
  if (!reallyInside(projectDir, join(projectDir, 'models'))) return { dirs: [], bytes: 0, outside: found };
  return { dirs: found, bytes: found.reduce((n, d) => n + folderBytes(d), 0), outside: [] };
}

/** Why a folder under a `models` link leading out is left where it is. */
const OUTSIDE_REASON = 'the models folder is a link leading out of the project, so nothing there is removed';

/** The runs to delete, once each, in order; NOT_FOUND naming an unknown one, CONFLICT for one still training. */
function deletable(db: Db, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (!unique.length) throw new AppError('BAD_ARGUMENTS', 'Name the runs to delete.');
  const missing = unique.filter((id) => !runRow(db, id));
  if (missing.length) throw new AppError('NOT_FOUND', `No run ${missing.join(', ')} in this project; nothing was deleted.`);
  const live = liveRunIds(db);
  const training = unique.filter((id) => live.has(id));
  if (training.length) throw new AppError('CONFLICT', `Run ${training.join(', ')} is still training: cancel it first; nothing was deleted.`);
  return unique;
}

/** What deleting the runs would do, without doing it (the question asked first). */
export function previewRunDeletion(db: Db, projectDir: string, ids: readonly number[]): RunDeletion {
  const unique = deletable(db, ids);
  return { deleted: unique, bytes: runFolders(projectDir, unique).bytes };
}

/** Deletes the runs (refused as a whole, nothing deleted, for an unknown one or one still training). */
export async function deleteRuns(db: Db, projectDir: string, ids: readonly number[]): Promise<RunDeletion> {
  const unique = writeTransaction(db, () => {
    const checked = deletable(db, ids);
    deleteRunRows(db, checked);
    return checked;
  });
  const { dirs, bytes, outside } = runFolders(projectDir, unique);
  // The runs are deleted now; a folder that cannot go (a file held open, a permission) is said, and
  // the next opening of the project tries again.
  const left: NonNullable<RunDeletion['left']> = outside.map((dir) => ({ dir, reason: OUTSIDE_REASON, outside: true as const }));
  for (const dir of dirs) {
    try {
      await removeModelFolder(dir);
    } catch (err) {
      left.push({ dir, reason: (err as Error).message });
    }
  }
  return { deleted: unique, bytes, ...(left.length ? { left } : {}) };
}
