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

/** Counts (and the first LEFT_OUT_LIST_CAP) triplets of one split with an image without features. */
export interface LeftOutSide {
  add(id: number, line: number, a: number, p: number, n: number): void;
}

/**
 * The left-out record built triplet by triplet (train first, then test), so a snapshot streamed from
 * a scratch store (train-stream.ts) is counted without holding its columns; see leftOutOf.
 */
export function leftOutTally(db: Db, features: { has(id: number): boolean }, known: LeftOutImage[]): { train: LeftOutSide; test: LeftOutSide; result(): LeftOut } {
  const reasons = new Map(known.map((k) => [k.id, k]));
  const name = imageNameReader(db);
  const images = new Map<number, LeftOutImage>();
  // The triplets with an image without features; only the first LEFT_OUT_LIST_CAP are listed.
  const side = () => {
    const s = { count: 0, brief: [] as { id: number; line: number | null }[] };
    const missing = (img: number): boolean => {
      if (features.has(img)) return false;
      if (!images.has(img)) images.set(img, reasons.get(img) ?? { id: img, name: name(img) ?? `#${img}`, reason: 'no features' });
      return true;
    };
    const add = (id: number, line: number, a: number, p: number, n: number) => {
      const bad = Number(missing(a)) + Number(missing(p)) + Number(missing(n)) > 0; // all three checked: each missing image is recorded
      if (bad && s.count++ < LEFT_OUT_LIST_CAP) s.brief.push({ id, line: line || null });
    };
    return { s, add };
  };
  const train = side();
  const test = side();
  return {
    train: { add: (id, line, a, p, n) => train.add(id, line, a, p, n) },
    test: { add: (id, line, a, p, n) => test.add(id, line, a, p, n) },
    result: () => ({
      imageCount: images.size,
      images: [...images.values()].slice(0, LEFT_OUT_LIST_CAP),
      trainCount: train.s.count,
      train: train.s.brief,
      testCount: test.s.count,
      test: test.s.brief,
    }),
  };
}

/** Adds the triplets of `list` to one side of a tally. */
export function tallyColumns(side: LeftOutSide, list: TripletColumns): void {
  for (let i = 0; i < list.count; i++) side.add(list.ids[i], list.lines[i], list.abc[3 * i], list.abc[3 * i + 1], list.abc[3 * i + 2]);
}

/**
 * Images of `train`/`test` without features, with the reason found while computing them (`known`,
 * from ensureFeatures) or 'no features' otherwise, and the triplets they take out. Columns
 * (store/triplet-columns.ts): a million train triplets are scanned without an object each.
 */
export function leftOutOf(db: Db, features: Map<number, unknown>, train: TripletColumns, test: TripletColumns, known: LeftOutImage[]): LeftOut {
  const tally = leftOutTally(db, features, known);
  tallyColumns(tally.train, train);
  tallyColumns(tally.test, test);
  return tally.result();
}

/** Stores a run's feature key and left-out record (one statement, while the run is running). */
export function recordRunInputs(db: Db, runId: number, key: FeatureKey, leftOut: LeftOut): void {
  setRunInputs(db, runId, key.preprocessing, key.weights, JSON.stringify(leftOut));
}
