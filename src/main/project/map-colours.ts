// Per-image colouring data for the embedding map: folder (first path segment of the image's name),
// split use (train / test / both / none, by active triplets) and error rate (the fraction of the
// image's scored active test triplets the run gets wrong, from the run's stored predictions).
import { MAP_SPLIT_USES } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageSplits, testOutcomes } from '../store/map.js';

export interface MapColours {
  folders: string[];
  folder: number[];
  split: number[];
  errorRate: Float32Array;
}

/** The folder an image's name starts with ('' for an image at the top of its import). */
export function firstSegment(name: string): string {
  const i = name.indexOf('/');
  return i < 0 ? '' : name.slice(0, i);
}

/** Colouring data for the images `ids` (names in the same order); errorRate NaN when no run or no scored triplet. */
export function mapColours(db: Db, ids: ArrayLike<number>, names: string[], runId: number | null): MapColours {
  const index = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  const folderIndex = new Map<string, number>();
  const folder = names.map((n) => {
    const f = firstSegment(n);
    let k = folderIndex.get(f);
    if (k === undefined) folderIndex.set(f, (k = folderIndex.size));
    return k;
  });
  const use = new Array<number>(ids.length).fill(0);
  const TRAIN = MAP_SPLIT_USES.indexOf('train');
  const TEST = MAP_SPLIT_USES.indexOf('test');
  for (const r of imageSplits(db)) {
    const i = index.get(r.id);
    // none(0) | train(1) | test(2) = both(3): the codes are bit flags by construction.
    if (i !== undefined) use[i] |= r.split === 'train' ? TRAIN : TEST;
  }
  const errorRate = new Float32Array(ids.length).fill(NaN);
  if (runId !== null) {
    const wrong = new Float64Array(ids.length);
    const total = new Float64Array(ids.length);
    for (const t of testOutcomes(db, runId)) {
      for (const id of new Set([t.a, t.p, t.n])) {
        const i = index.get(id);
        if (i === undefined) continue;
        total[i]++;
        wrong[i] += t.wrong;
      }
    }
    for (let i = 0; i < ids.length; i++) if (total[i] > 0) errorRate[i] = wrong[i] / total[i];
  }
  return { folders: [...folderIndex.keys()], folder, split: use, errorRate };
}
