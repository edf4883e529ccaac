// What a run trains on, prepared from its snapshot: the features its triplets use, packed as the
// training worker wants them (feature rows + triplets as row indices), and the record of what it
// could not use. The feature map lives only in here, so the caller holds the packed copy alone
// while the worker trains (and hands that over to the worker without a copy: ml/encoder/train.ts).
import type { LeftOut, LeftOutImage } from '../../shared/types.js';
import type { FitInput } from '../ml/encoder/fit.js';
import { packTraining } from '../ml/index.js';
import type { Db } from '../store/db.js';
import { columnsOf, type TripletColumns } from '../store/triplet-columns.js';
import type { SnapshotTriplet } from '../store/triplets.js';
import { loadFeatures, type FeatureKey } from './features.js';
import { leftOutOf } from './left-out.js';

export interface PreparedTraining {
  /** Train triplets whose three images have features (the ones trained on). */
  count: number;
  dim: number;
  leftOut: LeftOut;
  /** Feature rows and triplets as row indices (empty when count is 0). */
  packed: Pick<FitInput, 'features' | 'triplets'>;
}

/** Distinct image ids of the train columns and the test triplets. */
export function runImageIds(train: TripletColumns, test: readonly SnapshotTriplet[]): number[] {
  const ids = new Set<number>(train.abc);
  for (const t of test) (ids.add(t.a), ids.add(t.p), ids.add(t.n));
  return [...ids];
}

/** The image ids [a, p, n, …] of the train triplets whose three images have features. */
export function usableTriplets(train: TripletColumns, features: Map<number, unknown>): Int32Array {
  const out = new Int32Array(train.abc.length);
  let n = 0;
  for (let i = 0; i < train.abc.length; i += 3) {
    const [a, p, q] = [train.abc[i], train.abc[i + 1], train.abc[i + 2]];
    if (!features.has(a) || !features.has(p) || !features.has(q)) continue;
    out[n++] = a;
    out[n++] = p;
    out[n++] = q;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** Loads the features of the run's images and packs the usable train triplets (see the file comment). */
export function prepareTraining(db: Db, key: FeatureKey, train: TripletColumns, test: readonly SnapshotTriplet[], known: LeftOutImage[]): PreparedTraining {
  const features = loadFeatures(db, key, runImageIds(train, test));
  const leftOut = leftOutOf(db, features, train, columnsOf(test), known);
  const usable = usableTriplets(train, features);
  const count = usable.length / 3;
  const dim = features.values().next().value?.length ?? 0;
  const packed = count > 0 ? packTraining(dim, features, usable) : { features: new Float32Array(0), triplets: new Int32Array(0) };
  return { count, dim, leftOut, packed };
}
