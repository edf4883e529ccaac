// SQL for the embedding map: the projection cache (map_projections, migration 0011) and the
// per-image colouring data (split use, test-triplet outcomes of a run). Callers hold transactions.
import type { Db } from './db.js';

export interface StoredProjection {
  fingerprint: string;
  ids: Buffer;
  xy: Buffer;
  seconds: number;
}

export function readProjection(db: Db, source: string, method: string): StoredProjection | undefined {
  return db.prepare('SELECT fingerprint, ids, xy, seconds FROM map_projections WHERE source = ? AND method = ?').get(source, method) as
    | StoredProjection
    | undefined;
}

/**
 * Projections kept: one per run and method would grow without end (12 bytes per image each: 1.2 MB
 * per 100,000 images); the newest MAX_PROJECTIONS cover every map a user switches between.
 */
export const MAX_PROJECTIONS = 16;

/** Stores (replacing) the projection of `source` by `method` and drops the oldest beyond MAX_PROJECTIONS, in one transaction. */
export function writeProjection(db: Db, source: string, method: string, p: StoredProjection): void {
  db.transaction(() => {
    // A run deleted while its map was computed gets none (nothing would ever remove it).
    const run = /^run:(\d+)$/.exec(source);
    if (run && !db.prepare('SELECT 1 FROM runs WHERE id = ?').get(Number(run[1]))) return;
    db.prepare('INSERT OR REPLACE INTO map_projections (source, method, fingerprint, ids, xy, seconds) VALUES (?, ?, ?, ?, ?, ?)').run(
      source,
      method,
      p.fingerprint,
      p.ids,
      p.xy,
      p.seconds,
    );
    // A just-written row has the newest created_at, so it is never the one dropped.
    db.prepare(
      `DELETE FROM map_projections WHERE (source, method) NOT IN
         (SELECT source, method FROM map_projections ORDER BY created_at DESC LIMIT ?)`,
    ).run(MAX_PROJECTIONS);
  })();
}

/** Every image's id, name and content hash, by id. */
export function mapImages(db: Db): { id: number; name: string; sha256: string }[] {
  return db.prepare('SELECT id, name, sha256 FROM images ORDER BY id').all() as { id: number; name: string; sha256: string }[];
}

/** (image, split) pairs of the active triplets, each once. */
export function imageSplits(db: Db): { id: number; split: 'train' | 'test' }[] {
  return db
    .prepare(
      `SELECT anchor_id AS id, split FROM triplets WHERE status = 'active'
       UNION SELECT positive_id, split FROM triplets WHERE status = 'active'
       UNION SELECT negative_id, split FROM triplets WHERE status = 'active'`,
    )
    .all() as { id: number; split: 'train' | 'test' }[];
}

/** The active test triplets a run has predictions for, with whether it got each wrong. */
export function testOutcomes(db: Db, runId: number): { a: number; p: number; n: number; wrong: number }[] {
  return db
    .prepare(
      `SELECT t.anchor_id AS a, t.positive_id AS p, t.negative_id AS n, (pr.d_ap >= pr.d_an) AS wrong
       FROM triplets t JOIN predictions pr ON pr.triplet_id = t.id AND pr.run_id = ?
       WHERE t.split = 'test' AND t.status = 'active'`,
    )
    .all(runId) as { a: number; p: number; n: number; wrong: number }[];
}
