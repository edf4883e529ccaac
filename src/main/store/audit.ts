// SQL of the label audit (reads only): the active triplets with their names, file and review
// decision, contradicting pairs, images sharing content or files, and triplets' current state.
import type { Split, TripletStatus } from '../../shared/types.js';
import type { Db } from './db.js';
import { SHOWN_NAMES } from './shown-names.js';

/** An active triplet as the audit reads it. */
export interface AuditRow {
  id: number;
  split: Split;
  line: number | null;
  file: string | null;
  a: number;
  p: number;
  n: number;
  anchor: string;
  positive: string;
  negative: string;
  review: string | null;
}

const SELECT = `SELECT t.id, t.split, t.line, f.path AS file, t.anchor_id AS a, t.positive_id AS p, t.negative_id AS n,
  ${SHOWN_NAMES}, t.review
  FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id`;

/** Active triplets of a split in import order. */
export function activeAuditRows(db: Db, split: Split): AuditRow[] {
  return db.prepare(`${SELECT} WHERE t.split = ? AND t.status = 'active' ORDER BY t.seq`).all(split) as AuditRow[];
}

/** Active triplets of a split as [id, anchor, positive, negative], in import order (streamed: no names). */
export function activeTripletKeys(db: Db, split: Split): Iterable<[number, number, number, number]> {
  return db
    .prepare(`SELECT id, anchor_id, positive_id, negative_id FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`)
    .raw()
    .iterate(split) as Iterable<[number, number, number, number]>;
}

/** Triplets by id, as the audit reads them (absent ids are left out). */
export function auditRowsById(db: Db, ids: number[]): Map<number, AuditRow> {
  const get = db.prepare(`${SELECT} WHERE t.id = ?`);
  const out = new Map<number, AuditRow>();
  for (const id of ids) {
    const r = get.get(id) as AuditRow | undefined;
    if (r) out.set(id, r);
  }
  return out;
}

/**
 * Pairs of active triplets (train–train, train–test, test–test) with the same anchor and positive and
 * negative the other way round; each pair once (lower id first).
 */
export function contradictingPairs(db: Db): [AuditRow, AuditRow][] {
  const pairs = db
    .prepare(
      // Each row finds its partner through triplets_key in two probes (y.split IN …: every split
      // there is), in one pass over x in id order. Without the CROSS JOIN and INDEXED BY the planner
      // (no ANALYZE statistics) walked a split and every triplet of an image instead: 0.80 s against
      // 0.29 s on 300,000 triplets (see bench/audit-refresh.ts for the whole refresh).
      `SELECT x.id AS x, y.id AS y FROM triplets x CROSS JOIN triplets y INDEXED BY triplets_key
         ON y.split IN ('train', 'test') AND y.anchor_id = x.anchor_id AND y.positive_id = x.negative_id AND y.negative_id = x.positive_id
       WHERE x.status = 'active' AND y.status = 'active' AND x.id < y.id ORDER BY x.id`,
    )
    .all() as { x: number; y: number }[];
  const get = db.prepare(`${SELECT} WHERE t.id = ?`);
  return pairs.map((r) => [get.get(r.x) as AuditRow, get.get(r.y) as AuditRow]);
}

/** Images imported from more than one file, with their files. */
export function imagesWithSeveralPaths(db: Db): { id: number; name: string; paths: string[] }[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.name, p.abs_path FROM images i JOIN image_paths p ON p.image_id = i.id
       WHERE i.id IN (SELECT image_id FROM image_paths GROUP BY image_id HAVING COUNT(*) > 1) ORDER BY i.name, p.id`,
    )
    .all() as { id: number; name: string; abs_path: string }[];
  const out = new Map<number, { id: number; name: string; paths: string[] }>();
  for (const r of rows) {
    const e = out.get(r.id) ?? { id: r.id, name: r.name, paths: [] };
    e.paths.push(r.abs_path);
    out.set(r.id, e);
  }
  return [...out.values()];
}

/** Groups of images with byte-identical content (same sha256), each group by name. */
export function sameContentGroups(db: Db): { id: number; name: string }[][] {
  const rows = db
    .prepare(`SELECT id, name, sha256 FROM images WHERE sha256 IN (SELECT sha256 FROM images GROUP BY sha256 HAVING COUNT(*) > 1) ORDER BY sha256, name`)
    .all() as { id: number; name: string; sha256: string }[];
  const groups = new Map<string, { id: number; name: string }[]>();
  for (const r of rows) groups.set(r.sha256, [...(groups.get(r.sha256) ?? []), { id: r.id, name: r.name }]);
  return [...groups.values()];
}

/** Image names by id. */
export function imageNames(db: Db): Map<number, string> {
  return new Map((db.prepare('SELECT id, name FROM images').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
}

/** How many active triplets use each image. */
export function activeUseCounts(db: Db): Map<number, number> {
  const out = new Map<number, number>();
  for (const [a, p, n] of db.prepare(`SELECT anchor_id, positive_id, negative_id FROM triplets WHERE status = 'active'`).raw().iterate() as Iterable<number[]>) {
    for (const id of new Set([a, p, n])) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** The current state of triplets (absent ids were deleted). */
export function tripletStates(db: Db, ids: number[]): Map<number, { status: TripletStatus; split: Split; p: number; n: number; review: string | null }> {
  const st = db.prepare('SELECT id, status, split, positive_id AS p, negative_id AS n, review FROM triplets WHERE id = ?');
  const out = new Map();
  for (const id of ids) {
    const r = st.get(id) as { id: number; status: TripletStatus; split: Split; p: number; n: number; review: string | null } | undefined;
    if (r) out.set(id, r);
  }
  return out;
}
