// What a run could not use: images without features (and why) and the train/test triplets that
// use them. Recorded on the run row, so the summary can say so instead of scoring fewer triplets
// in silence.
import type { LeftOut, LeftOutImage } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageNameReader } from '../store/images.js';
import { setRunInputs } from '../store/runs.js';
import type { FeatureKey } from './features.js';

/** Lists keep this many entries; counts are complete. */
export const LEFT_OUT_LIST_CAP = 1000;

interface T {
  id: number;
  line: number | null;
  a: number;
  p: number;
  n: number;
}

/**
 * Images of `train`/`test` without features, with the reason found while computing them (`known`,
 * from ensureFeatures) or 'no features' otherwise, and the triplets they take out.
 */
export function leftOutOf(db: Db, features: Map<number, unknown>, train: T[], test: T[], known: LeftOutImage[]): LeftOut {
  const reasons = new Map(known.map((k) => [k.id, k]));
  const name = imageNameReader(db);
  const images = new Map<number, LeftOutImage>();
  const unusable = (list: T[]) =>
    list.filter((t) => {
      let bad = false;
      for (const id of [t.a, t.p, t.n]) {
        if (features.has(id)) continue;
        bad = true;
        if (!images.has(id)) images.set(id, reasons.get(id) ?? { id, name: name(id) ?? `#${id}`, reason: 'no features' });
      }
      return bad;
    });
  const badTrain = unusable(train);
  const badTest = unusable(test);
  const brief = (list: T[]) => list.slice(0, LEFT_OUT_LIST_CAP).map((t) => ({ id: t.id, line: t.line }));
  return {
    imageCount: images.size,
    images: [...images.values()].slice(0, LEFT_OUT_LIST_CAP),
    trainCount: badTrain.length,
    train: brief(badTrain),
    testCount: badTest.length,
    test: brief(badTest),
  };
}

/** Stores a run's feature key and left-out record (one statement, while the run is running). */
export function recordRunInputs(db: Db, runId: number, key: FeatureKey, leftOut: LeftOut): void {
  setRunInputs(db, runId, key.preprocessing, key.weights, JSON.stringify(leftOut));
}
