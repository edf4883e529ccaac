// Makes a resnet50 backbone folder usable by every engine: a folder that only holds Keras's .h5
// (dropped there by the user) is converted to model.json + shards once, in place.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '../../features/onnx-lock.js';

/** The first .h5 in `dir`, preferring Keras's notop file name. */
export function findH5(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.h5')).sort();
  const best = names.find((n) => n.includes('notop')) ?? names[0];
  return best ? join(dir, best) : null;
}

/** Converts `<dir>/*.h5` to `<dir>/model.json` + shards if model.json is absent. Returns whether it converted. */
export async function ensureResNet50Folder(dir: string): Promise<boolean> {
  const modelJson = join(dir, 'model.json');
  if (existsSync(modelJson)) return false;
  const h5 = findH5(dir);
  if (!h5) return false;
  const did = await withFileLock(join(dir, '.convert.lock'), () => existsSync(modelJson), async () => {
    const tmp = mkdtempSync(join(dir, '.convert-'));
    try {
      // Imported here: tfjs (needed to build the topology) costs seconds to load and most starts skip this.
      const { convertResNet50H5 } = await import('../../convert/resnet50-h5.js');
      await convertResNet50H5(h5, tmp, { source: { file: h5 } });
      // Shards first, model.json last: a reader never sees model.json without its shards.
      const files = readdirSync(tmp).sort((a, b) => Number(a === 'model.json') - Number(b === 'model.json'));
      for (const f of files) renameSync(join(tmp, f), join(dir, f));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return true;
  });
  return did === true;
}
