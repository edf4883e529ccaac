// The SQLite source (large sets): the run's usable train triplets as feature rows in a scratch file
// (store/scratch-triplets.ts), opened read-only here. Nothing holds every triplet: passes stream the
// file and keep per-row arrays only (used/held/seen flags), the implied-triplet groups form from
// their usual per-image sample, the scored triplets are a bounded sample, and each epoch is drawn
// from the file by a seeded permutation of its blocks of consecutive triplets, cycling so every training
// triplet is used once before any is used twice, then shuffled within the epoch.
import type { TrainOptions } from '../../../../shared/types.js';
import { BLOCK_TRIPLETS, eachTrainTriplet, openScratchReadOnly, trainBlockReader } from '../../../store/scratch-triplets.js';
import type { Db } from '../../../store/db.js';
import { deriveTriplets, type ImageGroups } from '../miners/groups.js';
import { groupSampleSize, trainingGroups, type EpochTriplets } from '../miners/epochs.js';
import { seededRandom, shuffleInPlace } from '../rng.js';
import { epochPlan } from '../schedule.js';
import type { SourcePlan, SourceSplit, SqliteTriplets } from './source.js';

export { BLOCK_TRIPLETS } from '../../../store/scratch-triplets.js';

/**
 * Scored triplets per epoch, at most: a seeded sample of the validation triplets (or, without a
 * hold-out, of the training ones) beyond this. 50,000 triplets score in well under a second and
 * keep 0.6 MB; the accuracy's standard error there is ≤ 0.0023.
 */
export const MAX_EVAL_TRIPLETS = 50_000;

type Role = (a: number, p: number, n: number) => boolean;

/** A uniform sample: `k` of the `total` triplets `keep` accepts. */
interface SampleSpec {
  keep: Role;
  total: number;
  k: number;
  rand: () => number;
}

/** Each spec's sample, all drawn in one pass (selection sampling), each in rowid order: rows [a, p, n, …]. */
function sampleRows(db: Db, specs: SampleSpec[]): Int32Array[] {
  const state = specs.map((s) => ({ ...s, want: Math.min(s.k, s.total), seen: 0, got: 0, out: new Int32Array(3 * Math.min(s.k, s.total)) }));
  eachTrainTriplet(db, (a, p, n) => {
    for (const s of state) {
      if (s.got >= s.want || !s.keep(a, p, n)) continue;
      if ((s.total - s.seen++) * s.rand() < s.want - s.got) (s.out[3 * s.got] = a), (s.out[3 * s.got + 1] = p), (s.out[3 * s.got + 2] = n), s.got++;
    }
  });
  return state.map((s) => s.out);
}

/** Flags of the rows any triplet uses, and their count. */
function usedRows(db: Db, rows: number): { used: Uint8Array; images: number } {
  const used = new Uint8Array(rows);
  let images = 0;
  eachTrainTriplet(db, (a, p, n) => {
    for (const r of [a, p, n]) if (!used[r]) (used[r] = 1), images++;
  });
  return { used, images };
}

/** Held-out row flags as splitByImages draws them (distinct rows ascending, shuffled, the first round(f × images)); null for no hold-out. */
function heldRows(db: Db, rows: number, fraction: number, rand: () => number): Uint8Array | null {
  if (fraction <= 0) return null;
  const { used, images } = usedRows(db, rows);
  const nHeld = Math.round(images * fraction);
  if (nHeld === 0) return null;
  const list = new Int32Array(images);
  for (let r = 0, k = 0; r < rows; r++) if (used[r]) list[k++] = r;
  shuffleInPlace(list, rand);
  const held = new Uint8Array(rows);
  for (let i = 0; i < nHeld; i++) held[list[i]] = 1;
  return held;
}

/** Counts of each role and the distinct rows the training triplets use (with a hold-out). */
function roleCounts(db: Db, rows: number, held: Uint8Array): { train: number; val: number; images: number } {
  const seen = new Uint8Array(rows);
  let train = 0;
  let val = 0;
  let images = 0;
  eachTrainTriplet(db, (a, p, n) => {
    const k = held[a] + held[p] + held[n];
    if (k === 3) val++;
    if (k !== 0) return;
    train++;
    for (const r of [a, p, n]) if (!seen[r]) (seen[r] = 1), images++;
  });
  return { train, val, images };
}

/**
 * The epochs' draws: the blocks (BLOCK_TRIPLETS consecutive triplets each) in a seeded permutation,
 * each block's training triplets used in turn (a block's rest carries into the next epoch); when
 * every block has been read, a new permutation. Returns `want` triplets' rows and their indices in the source.
 */
function blockCycle(db: Db, count: number, isTrain: Role): (want: number, rand: () => number) => { rows: Int32Array; ids: Int32Array } {
  const read = trainBlockReader(db);
  const blocks = Int32Array.from({ length: Math.ceil(count / BLOCK_TRIPLETS) }, (_, i) => i);
  let cursor = blocks.length;
  let carry = new Int32Array(0); // [id, a, p, n, …] of the current block's training triplets not yet used
  let head = 0;
  return (want, rand) => {
    const rows = new Int32Array(3 * want);
    const ids = new Int32Array(want);
    for (let filled = 0; filled < want; ) {
      if (head >= carry.length) {
        if (cursor >= blocks.length) (shuffleInPlace(blocks, rand), (cursor = 0));
        const b = blocks[cursor++];
        const t = read(b);
        carry = new Int32Array((4 * t.length) / 3);
        let k = 0;
        for (let j = 0; j < t.length; j += 3) if (isTrain(t[j], t[j + 1], t[j + 2])) carry.set([b * BLOCK_TRIPLETS + j / 3, t[j], t[j + 1], t[j + 2]], 4 * k++);
        carry = carry.subarray(0, 4 * k);
        head = 0;
        continue;
      }
      ids[filled] = carry[head];
      rows[3 * filled] = carry[head + 1];
      rows[3 * filled + 1] = carry[head + 2];
      rows[3 * filled + 2] = carry[head + 3];
      head += 4;
      filled++;
    }
    return { rows, ids };
  };
}

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** An epoch: the drawn triplets, then (with groups) `derived` × as many implied ones, all shuffled. */
function sqliteEpoch(drawn: { rows: Int32Array; ids: Int32Array }, groups: ImageGroups | null, derived: number, deriveRand: () => number, rand: () => number): EpochTriplets {
  const k = drawn.ids.length;
  const extra = groups ? deriveTriplets(groups, Math.round(derived * k), deriveRand) : new Int32Array(0);
  let all = drawn.rows;
  if (extra.length > 0) (all = new Int32Array(3 * k + extra.length)), all.set(drawn.rows), all.set(extra, 3 * k);
  const order = identity(all.length / 3);
  shuffleInPlace(order, rand);
  return { triplets: all, order, own: identity(k), ids: drawn.ids };
}

/** The hold-out and epoch plan of a scratch store of `src.count` triplets over `rows` feature rows. */
export function sqliteSplit(src: SqliteTriplets, rows: number, opts: TrainOptions, rand: () => number): SourceSplit {
  const db = openScratchReadOnly(src.path);
  try {
    const count = src.count;
    let held = heldRows(db, rows, opts.validationSplit, rand);
    // Without a hold-out every triplet trains, over every row (the packed rows are the ones the triplets use): no pass.
    const all = { train: count, val: 0, images: rows };
    let roles = held ? roleCounts(db, rows, held) : all;
    // As splitByImages: a hold-out that leaves nothing on either side holds out nothing.
    if (held && (roles.train === 0 || roles.val === 0)) (held = null), (roles = all);
    const h = held;
    const isTrain: Role = h ? (a, p, n) => h[a] + h[p] + h[n] === 0 : () => true;
    const isVal: Role = h ? (a, p, n) => h[a] + h[p] + h[n] === 3 : () => false;
    const heldImages = h ? h.reduce((s, x) => s + x, 0) : 0;
    return {
      kind: 'sqlite',
      trainCount: roles.train,
      valCount: roles.val,
      unused: count - roles.train - roles.val,
      heldImages,
      validating: roles.val > 0,
      planner(initSeed): SourcePlan {
        const plan = epochPlan(roles.train, roles.images, opts);
        const derived = opts.derived ?? 0;
        const deriveRand = seededRandom(initSeed ^ 0x2545f491);
        // Groups from their usual per-image sample of the training triplets (miners/epochs.ts).
        // One pass draws both samples: what each epoch scores, and (with derived > 0) what the groups form from.
        const evalRand = seededRandom(initSeed ^ 0x68e31da4);
        const specs: SampleSpec[] = [roles.val > 0 ? { keep: isVal, total: roles.val, k: MAX_EVAL_TRIPLETS, rand: evalRand } : { keep: isTrain, total: roles.train, k: MAX_EVAL_TRIPLETS, rand: evalRand }];
        if (derived > 0) specs.push({ keep: isTrain, total: roles.train, k: groupSampleSize(roles.train, roles.images), rand: deriveRand });
        const [evalRows, groupRows] = sampleRows(db, specs);
        const groups = groupRows ? trainingGroups(groupRows, identity(groupRows.length / 3)) : null;
        const draw = blockCycle(db, count, isTrain);
        return { plan, planEpoch: (r) => sqliteEpoch(draw(plan.perEpoch, r), groups, derived, deriveRand, r), evalTriplets: evalRows, evalIdx: identity(evalRows.length / 3) };
      },
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
