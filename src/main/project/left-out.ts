// What a run could not use: images without features (and why) and the train/test triplets that
// use them. Recorded on the run row, so the summary can say so instead of scoring fewer triplets
// in silence.
import type { LeftOut, LeftOutImage } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageNameReader } from '../store/images.js';
import { setRunInputs } from '../store/runs.js';
import type { TripletColumns } from '../store/triplet-columns.js';
import type { FeatureKey } from './features.js';

/** Lists keep this many entries; counts are complete. */
export const LEFT_OUT_LIST_CAP = 1000;

/**
 * Images of `train`/`test` without features, with the reason found while computing them (`known`,
 * from ensureFeatures) or 'no features' otherwise, and the triplets they take out. Columns
 * (store/triplet-columns.ts): a million train triplets are scanned without an object each.
 */
export function leftOutOf(db: Db, features: Map<number, unknown>, train: TripletColumns, test: TripletColumns, known: LeftOutImage[]): LeftOut {
  const reasons = new Map(known.map((k) => [k.id, k]));
  const name = imageNameReader(db);
  const images = new Map<number, LeftOutImage>();
  // The triplets (by index) with an image without features; only the first LEFT_OUT_LIST_CAP are listed.
  const unusable = (list: TripletColumns) => {
    let count = 0;
    const brief: { id: number; line: number | null }[] = [];
    for (let i = 0; i < list.count; i++) {
      let bad = false;
      for (let k = 0; k < 3; k++) {
        const id = list.abc[3 * i + k];
        if (features.has(id)) continue;
        bad = true;
        if (!images.has(id)) images.set(id, reasons.get(id) ?? { id, name: name(id) ?? `#${id}`, reason: 'no features' });
      }
      if (!bad) continue;
      if (count++ < LEFT_OUT_LIST_CAP) brief.push({ id: list.ids[i], line: list.lines[i] || null });
    }
    return { count, brief };
  };
  const badTrain = unusable(train);
  const badTest = unusable(test);
  return {
    imageCount: images.size,
    images: [...images.values()].slice(0, LEFT_OUT_LIST_CAP),
    trainCount: badTrain.count,
    train: badTrain.brief,
    testCount: badTest.count,
    test: badTest.brief,
  };
}

/** Stores a run's feature key and left-out record (one statement, while the run is running). */
export function recordRunInputs(db: Db, runId: number, key: FeatureKey, leftOut: LeftOut): void {
  setRunInputs(db, runId, key.preprocessing, key.weights, JSON.stringify(leftOut));
}
