// A run's model folder (models/run-N in the project): written under a .partial name and renamed
// into place, so a crash never leaves a half-written model where a finished run points.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isDiskFull } from '../../shared/errors.js';
import { DB_FILE } from '../../shared/project-layout.js';
import type { TrainOptions } from '../../shared/types.js';
import { loadEncoder, saveEncoder, type EncoderWeights } from '../ml/index.js';
import type { Db } from '../store/db.js';
import { deletedRunIds, runFolderStates } from '../store/runs.js';
import { flushFolder } from '../util/durable.js';
import { assertStaysInside, reallyInside } from '../util/inside-on-drive.js';
import { makeDirs } from '../util/make-dirs.js';

export const modelDirOf = (runId: number): string => `models/run-${runId}`;

/** The temporary folder a run's model is written to before it is renamed into place. */
export const partialDirOf = (projectDir: string, rel: string): string => join(projectDir, `${rel}.partial`);

/**
 * Writes the encoder to `rel`.partial, then renames it to `rel`. `inPlace`: whether the project is
 * still this very store at its path (Project.inPlace); a folder swapped for another project while the
 * run trained must not get this model (nor lose its own).
 */
export async function saveModelFolder(projectDir: string, rel: string, enc: EncoderWeights, options: TrainOptions, inPlace?: () => boolean): Promise<void> {
  const here = inPlace ?? (() => existsSync(join(projectDir, DB_FILE)));
  const moved = () =>
    new AppError('NOT_FOUND', `The project folder ${projectDir} was moved, renamed, replaced or deleted while this run trained, so its model was not saved.`);
  // A folder moved while the run trained: writing here would make a stray models/ folder at the old path.
  if (!here()) throw moved();
  // A `models` link leading out (a project someone else made): nothing written or renamed there.
  assertStaysInside(projectDir, join(projectDir, rel, '..'), "a run's model");
  const tmpDir = partialDirOf(projectDir, rel);
  await rm(tmpDir, { recursive: true, force: true });
  try {
    makeDirs(tmpDir);
    await saveEncoder(tmpDir, { ...enc }, options);
    if (!here()) throw moved();
    await moveAsideUnowned(join(projectDir, rel));
    await rename(tmpDir, join(projectDir, rel));
    flushFolder(join(projectDir, rel, '..')); // the rename on the drive before the run is saved as finished
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    if (!isDiskFull(err)) throw err;
    throw new AppError('DISK_FULL', `The disk holding ${projectDir} is full, so this run's model was not saved (the epochs it finished are kept). Free some space and train again.`, { path: tmpDir });
  }
}

/**
 * A folder already at a new run's place belongs to no run of this store (a store restored from a
 * backup counts its runs again from there): kept, renamed aside, rather than failing the run at the
 * rename (ENOTEMPTY) or deleting a model someone may want.
 */
async function moveAsideUnowned(dir: string): Promise<void> {
  if (existsSync(dir)) await rename(dir, `${dir}.unowned-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/**
 * Model folders a crash left behind: a run's folder put in place while its run was never saved as
 * finished (killed between the rename and the commit), and unfinished `.partial` ones. Only folders
 * of runs this store has and that are not running are touched; a finished run's folder never is.
 * Returns how many were removed. A `models` link leading out of the project is not swept: the
 * `run-N` folders there are someone else's.
 */
export function removeStaleModelFolders(db: Db, projectDir: string): number {
  const models = join(projectDir, 'models');
  if (!existsSync(models) || !reallyInside(projectDir, models)) return 0;
  const runs = runFolderStates(db);
  const deleted = deletedRunIds(db);
  let removed = 0;
  for (const name of readdirSync(models)) {
    const m = /^run-(\d+)(\.partial)?$/.exec(name);
    if (!m) continue;
    const run = runs.get(Number(m[1]));
    const owned = !!run && !m[2] && run.modelDir === `models/${name}`;
    // No run of that id: a partial one is junk, and so is a deleted run's (its deletion was cut
    // short); any other whole one may be a restored backup's model, kept.
    if ((run && run.status !== 'running' && !owned) || (!run && (m[2] || deleted.has(Number(m[1]))))) {
      // One that cannot go (a file held open, a permission) stays till the next opening: the project opens.
      try {
        rmSync(join(models, name), { recursive: true, force: true });
        removed++;
      } catch {
        /* left for the next opening */
      }
    }
  }
  return removed;
}

/** Removes a model folder (or its partial one); missing is fine. */
export async function removeModelFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Loads a finished run's encoder (cached per project by the caller). */
export async function loadRunEncoder(projectDir: string, runId: number, modelDir: string): Promise<EncoderWeights> {
  const dir = join(projectDir, modelDir);
  if (!existsSync(join(dir, 'model.json'))) throw new AppError('NOT_FOUND', `The model files of run ${runId} are missing (${dir}).`);
  try {
    return await loadEncoder(dir);
  } catch (err) {
    // A drive's or permission's error keeps its own words (shared/errors.ts); a file that reads but
    // is not a model (emptied by a crash, edited, cut short) is the file's fault, not a bug.
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new AppError('INVALID_FILE', `The model files of run ${runId} are damaged (${(err as Error).message}). Train again, or use another run.`, { path: dir });
  }
}
