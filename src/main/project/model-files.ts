// A run's model folder (models/run-N in the project): written under a .partial name and renamed
// into place, so a crash never leaves a half-written model where a finished run points.
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isDiskFull } from '../../shared/errors.js';
import { DB_FILE } from '../../shared/project-layout.js';
import type { TrainOptions } from '../../shared/types.js';
import { loadEncoder, saveEncoder, type EncoderWeights } from '../ml/index.js';
import { flushFolder } from '../util/durable.js';
import { makeDirs } from '../util/make-dirs.js';

export const modelDirOf = (runId: number): string => `models/run-${runId}`;

/** The temporary folder a run's model is written to before it is renamed into place. */
export const partialDirOf = (projectDir: string, rel: string): string => join(projectDir, `${rel}.partial`);

/** Writes the encoder to `rel`.partial, then renames it to `rel`. */
export async function saveModelFolder(projectDir: string, rel: string, enc: EncoderWeights, options: TrainOptions): Promise<void> {
  // A folder moved while the run trained: writing here would make a stray models/ folder at the old path.
  if (!existsSync(join(projectDir, DB_FILE))) {
    throw new AppError('NOT_FOUND', `The project folder ${projectDir} was moved, renamed or deleted while this run trained, so its model was not saved.`);
  }
  const tmpDir = partialDirOf(projectDir, rel);
  await rm(tmpDir, { recursive: true, force: true });
  try {
    makeDirs(tmpDir);
    await saveEncoder(tmpDir, { ...enc }, options);
    await rename(tmpDir, join(projectDir, rel));
    flushFolder(join(projectDir, rel, '..')); // the rename on the drive before the run is saved as finished
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    if (!isDiskFull(err)) throw err;
    throw new AppError('DISK_FULL', `The disk holding ${projectDir} is full, so this run's model was not saved (the epochs it finished are kept). Free some space and train again.`, { path: tmpDir });
  }
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
