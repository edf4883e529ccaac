// The label audit's checks beside the scores: contradicting triplets, duplicate images (several files,
// same content, nearly equal features) and train/test leakage (the import's rule, triplets/classify.ts:
// the same triplet in test, or all three images used by test triplets).
import type { AuditContradiction, AuditDuplicate, AuditLeak, AuditTripletRef } from '../../shared/types.js';
import { activeTripletKeys, activeUseCounts, auditRowsById, contradictingPairs, imageNames, imagesWithSeveralPaths, sameContentGroups, type AuditRow } from '../store/audit.js';
import type { Db } from '../store/db.js';

/**
 * Cosine distance of the (MobileNet) backbone features below which two images count as the same
 * picture. Measured on the shared photos (bench/audit-duplicates.ts, 30 photos per set): a photo and
 * its JPEG q60 re-encode are ≤ 0.076 apart, a 5% crop ≤ 0.061 (half size: median 0.083 flowers, 0.020
 * trash; all three edits at once: median 0.135 / 0.058). Distinct photos: the nearest pair of flowers is
 * 0.098 apart, of trash 0.044 — metal57/metal122, the same crumpled foil shot twice, which is what this
 * should find — and the next 0.110. 0.08 catches re-encodes and crops and no distinct photo of either set.
 */
export const NEAR_DUPLICATE_DISTANCE = 0.08;

export const tripletRef = (r: AuditRow): AuditTripletRef => ({
  id: r.id,
  split: r.split,
  line: r.line,
  file: r.file,
  anchor: r.anchor,
  positive: r.positive,
  negative: r.negative,
});

export function findContradictions(db: Db): AuditContradiction[] {
  return contradictingPairs(db).map(([a, b]) => ({ a: tripletRef(a), b: tripletRef(b) }));
}

/** Unordered key of a triplet: the same triplet whichever way positive and negative are ordered. */
const unordered = (a: number, p: number, n: number) => `${a}:${Math.min(p, n)}:${Math.max(p, n)}`;

/**
 * Active train triplets that leak into test: the same triplet in test, or all three images used by
 * test triplets (the import's rule). Reads image ids only, then the names of the leaking triplets,
 * so the Audit view can find it again after every fix without holding every row of a big project.
 */
export function findLeakage(db: Db): AuditLeak[] {
  const testImages = new Set<number>();
  const testByKey = new Map<string, number>();
  for (const [id, a, p, n] of activeTripletKeys(db, 'test')) {
    testImages.add(a).add(p).add(n);
    const key = unordered(a, p, n);
    if (!testByKey.has(key)) testByKey.set(key, id);
  }
  if (!testImages.size) return [];
  const found: { id: number; other: number | null }[] = [];
  for (const [id, a, p, n] of activeTripletKeys(db, 'train')) {
    const same = testByKey.get(unordered(a, p, n));
    if (same !== undefined) found.push({ id, other: same });
    else if (testImages.has(a) && testImages.has(p) && testImages.has(n)) found.push({ id, other: null });
  }
  const rows = auditRowsById(db, [...found.map((f) => f.id), ...found.flatMap((f) => (f.other === null ? [] : [f.other]))]);
  return found.map(({ id, other }) => {
    const same = other === null ? undefined : rows.get(other);
    return same
      ? { triplet: tripletRef(rows.get(id)!), other: tripletRef(same), reason: `same triplet as test triplet #${same.id}` }
      : { triplet: tripletRef(rows.get(id)!), other: null, reason: 'all three images are used by test triplets' };
  });
}

/** Unit copies of the feature vectors. */
function unitRows(features: Map<number, Float32Array>): { ids: number[]; rows: Float32Array[] } {
  const ids = [...features.keys()].sort((x, y) => x - y);
  const rows = ids.map((id) => {
    const v = features.get(id)!;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    return v.map((x) => x * inv);
  });
  return { ids, rows };
}

/**
 * Pairs of different-content images whose features are within `threshold` cosine distance, closest
 * first. All pairs: O(n²·d), about a second for 3,000 images of 768-d features.
 */
export function nearDuplicatePairs(features: Map<number, Float32Array>, sameContent: (a: number, b: number) => boolean, threshold = NEAR_DUPLICATE_DISTANCE): { a: number; b: number; distance: number }[] {
  const { ids, rows } = unitRows(features);
  const out: { a: number; b: number; distance: number }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i];
    for (let j = i + 1; j < rows.length; j++) {
      const y = rows[j];
      let dot = 0;
      for (let k = 0; k < x.length; k++) dot += x[k] * y[k];
      const d = 1 - dot;
      if (d <= threshold && !sameContent(ids[i], ids[j])) out.push({ a: ids[i], b: ids[j], distance: Math.max(0, d) });
    }
  }
  return out.sort((p, q) => p.distance - q.distance);
}

export function findDuplicates(db: Db, features: Map<number, Float32Array>, threshold = NEAR_DUPLICATE_DISTANCE): AuditDuplicate[] {
  const names = imageNames(db);
  const uses = activeUseCounts(db);
  const ref = (id: number) => ({ id, name: names.get(id) ?? `#${id}`, triplets: uses.get(id) ?? 0 });
  const out: AuditDuplicate[] = [];
  for (const img of imagesWithSeveralPaths(db)) out.push({ kind: 'paths', images: [ref(img.id)], paths: img.paths });
  const groupOf = new Map<number, number>();
  sameContentGroups(db).forEach((g, k) => {
    for (const i of g) groupOf.set(i.id, k);
    out.push({ kind: 'exact', images: g.map((i) => ref(i.id)) });
  });
  const sameContent = (a: number, b: number) => groupOf.has(a) && groupOf.get(a) === groupOf.get(b);
  for (const p of nearDuplicatePairs(features, sameContent, threshold)) out.push({ kind: 'near', images: [ref(p.a), ref(p.b)], distance: p.distance });
  return out;
}
