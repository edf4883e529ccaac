// Locates the read-only shared data (datasets, backbone weights) for tests and benchmarks.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** TRIPLET_STUDIO_SHARED, else ../shared next to the repo. */
export function sharedDir(): string {
  return process.env.TRIPLET_STUDIO_SHARED ? resolve(process.env.TRIPLET_STUDIO_SHARED) : resolve(repoRoot, '..', 'shared');
}

export const flowersDir = (): string => join(sharedDir(), 'datasets', 'flowers');
export const sharedModelsDir = (): string => join(sharedDir(), 'models');

/** Like skipWithoutShared, and also a reason when the shared weights of backbone `id` are absent. */
export function skipWithoutBackbone(id: string): string | false {
  return (
    skipWithoutShared() ||
    (existsSync(join(sharedModelsDir(), id, 'model.json')) ? false : `backbone ${id} not found under ${sharedModelsDir()}`)
  );
}

/** For `test(name, { skip: skipWithoutShared() }, …)`: a reason string when the data is absent. */
export function skipWithoutShared(): string | false {
  return existsSync(join(flowersDir(), 'train.txt'))
    ? false
    : `shared data not found at ${sharedDir()} (set TRIPLET_STUDIO_SHARED to the folder holding datasets/ and models/)`;
}
