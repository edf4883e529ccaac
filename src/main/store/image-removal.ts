// SQL for removing images from a project and bringing them back (images/remove.ts holds the rules).
// A removed image's rows are kept whole in the edit history (ImageSnapshot), so undo restores the
// image with its id, name, every path it was imported from, its old versions and the suggestions
// answered about it. Triplets are never removed here: an image a triplet uses is not removable.
// Cached features are keyed by content (feature_cache), not by image, so they stay for undo.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { imageFilter } from './images.js';

type Row = Record<string, string | number | null>;

/** Every row that goes when an image is deleted (foreign keys cascade), as stored. */
export interface ImageSnapshot {
  image: Row;
  paths: Row[];
  versions: Row[];
  /** Suggestion answers naming the image as anchor or partner (a rejection keeps it from coming back). */
  answers: Row[];
}

/** The images matching a Library filter (name substring, folder, a map selection), by name. */
export function imageIdsMatching(db: Db, q: { search?: string; folder?: string; ids?: number[] }): number[] {
  const { where, params } = imageFilter(q);
  return db.prepare(`SELECT id FROM images ${where} ORDER BY name`).pluck().all(params) as number[];
}

/** How many triplets (any split, active or excluded) use each of `ids`, in their order; images in none are left out. */
export function tripletUses(db: Db, ids: number[]): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT c.value AS id, (SELECT COUNT(*) FROM triplets t WHERE t.anchor_id = c.value OR t.positive_id = c.value OR t.negative_id = c.value) AS n
       FROM json_each(?) c ORDER BY c.key`,
    )
    .all(JSON.stringify(ids)) as { id: number; n: number }[];
  return new Map(rows.filter((r) => r.n > 0).map((r) => [r.id, r.n]));
}

/** Reader of the rows one image's deletion takes with it (prepared once); undefined for an unknown image. */
export function imageSnapshotReader(db: Db): (id: number) => ImageSnapshot | undefined {
  const image = db.prepare('SELECT * FROM images WHERE id = ?');
  const paths = db.prepare('SELECT * FROM image_paths WHERE image_id = ? ORDER BY id');
  const versions = db.prepare('SELECT * FROM image_versions WHERE image_id = ? ORDER BY version');
  const answers = db.prepare('SELECT * FROM suggestion_answers WHERE anchor_id = @id OR pair_lo = @id OR pair_hi = @id');
  return (id) => {
    const row = image.get(id) as Row | undefined;
    if (!row) return undefined;
    return { image: row, paths: paths.all(id) as Row[], versions: versions.all(id) as Row[], answers: answers.all({ id }) as Row[] };
  };
}

/**
 * Deletes images (their paths, versions and answers cascade). Callers check no triplet uses them.
 * One statement for the whole set: per-id statements took 5× as long (20,000 images: 1.2 s against
 * 0.25 s), each paying the cascade's set-up again.
 */
export function deleteImages(db: Db, ids: number[]): number {
  return db.prepare('DELETE FROM images WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids)).changes;
}

/**
 * Puts snapshots back: every image first, then the rows that point at them (an answer may name two
 * removed images). Columns come from the table itself, so snapshots from an older schema still fit.
 * `back` maps the old id of an image that is in the project again (re-imported under its name, same
 * content, new id) to its id now: its rows are not restored, but the answers about it are, under
 * its id now, so a rejected suggestion stays rejected. An answer given since (same suggestion) wins.
 */
export function restoreImages(db: Db, snapshots: ImageSnapshot[], back: ReadonlyMap<number, number> = new Map()): void {
  const insert = rowInserter(db);
  const restored = snapshots.filter((s) => !back.has(Number(s.image.id)));
  for (const s of restored) insert('images', s.image);
  for (const s of restored) {
    // A path row's id is referenced nowhere and may have gone to a newer import's path: it gets a new
    // one (inserted in the old order, so the image's first path stays first).
    for (const { id: _old, ...p } of s.paths) insert('image_paths', p);
    for (const v of s.versions) insert('image_versions', v);
  }
  for (const s of snapshots) for (const a of s.answers) insert('suggestion_answers', answerUnder(a, back), true);
}

/** An answer row with the ids of images that are back under a new id replaced (pair kept ordered). */
function answerUnder(a: Row, back: ReadonlyMap<number, number>): Row {
  const now = (id: Row[string]) => back.get(Number(id)) ?? Number(id);
  const [x, y] = [now(a.pair_lo), now(a.pair_hi)];
  return { ...a, anchor_id: now(a.anchor_id), pair_lo: Math.min(x, y), pair_hi: Math.max(x, y) };
}

/** Inserts a row into one of the image tables, using only the columns the table has. */
function rowInserter(db: Db): (table: 'images' | 'image_paths' | 'image_versions' | 'suggestion_answers', row: Row, orIgnore?: boolean) => void {
  const columns = new Map<string, Set<string>>();
  const columnsOf = (table: string) => {
    let c = columns.get(table);
    if (!c) columns.set(table, (c = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name))));
    return c;
  };
  const statements = new Map<string, Statement>();
  return (table, row, orIgnore = false) => {
    const cols = Object.keys(row).filter((k) => columnsOf(table).has(k));
    const sql = `INSERT ${orIgnore ? 'OR IGNORE ' : ''}INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`;
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    st.run(Object.fromEntries(cols.map((c) => [c, row[c]])));
  };
}

/** Reader of the image now holding the same content from the same file (re-imported under another name since a removal). */
export function imageOfSameFileReader(db: Db): (sha256: string, absPath: string) => number | undefined {
  const st = db.prepare('SELECT i.id FROM images i JOIN image_paths p ON p.image_id = i.id WHERE i.sha256 = ? AND p.abs_path = ? LIMIT 1').pluck();
  return (sha256, absPath) => st.get(sha256, absPath) as number | undefined;
}

/** Reader of the image now holding a name, with its content (undo checks nobody took the name meanwhile; prepared once). */
export function imageByNameReader(db: Db): (name: string) => { id: number; sha256: string } | undefined {
  const st = db.prepare('SELECT id, sha256 FROM images WHERE name = ?');
  return (name) => st.get(name) as { id: number; sha256: string } | undefined;
}
