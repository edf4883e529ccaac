// SQL for image identity: an image is its content (sha256, versioned) plus every file it was imported
// from (image_paths). Names are unique and never change once given; triplets whose image changed on
// disk are flagged (triplet_flags) for the user instead of being rebound silently.
import type { ImageRecord, TripletFlag } from '../../shared/types.js';
import type { Db } from './db.js';

export interface PathRow {
  id: number;
  image_id: number;
  abs_path: string;
  rel: string;
  bytes: number;
  mtime_ms: number;
  /** The file's number on its drive and change time when last read (0015; null in older rows). */
  ino: number | null;
  ctime_ms: number | null;
  sha256: string;
}

export interface ImageRow {
  id: number;
  name: string;
  abs_path: string;
  sha256: string;
  version: number;
  width: number;
  height: number;
}

export interface NewImage {
  name: string;
  abs_path: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  mtime_ms: number;
  thumb: string;
  orientation: number | null;
}

export interface NewPath {
  abs_path: string;
  root: string;
  rel: string;
  bytes: number;
  mtime_ms: number;
  ino: number;
  ctime_ms: number;
  sha256: string;
}

/** What a path's file was when it was last read. */
export type FileStamp = Pick<NewPath, 'bytes' | 'mtime_ms' | 'ino' | 'ctime_ms'>;

/** Both Unicode forms of a name: stored names from before NFC storage may be decomposed (macOS). */
const forms = (s: string): [string, string] => [s.normalize('NFC'), s.normalize('NFD')];

export function allPaths(db: Db): PathRow[] {
  return db.prepare('SELECT id, image_id, abs_path, rel, bytes, mtime_ms, ino, ctime_ms, sha256 FROM image_paths').all() as PathRow[];
}

/** Path rows for one file on disk (normally one; several only in projects from before 0003). */
export function pathsAt(db: Db, absPath: string): PathRow[] {
  return db.prepare('SELECT id, image_id, abs_path, rel, bytes, mtime_ms, ino, ctime_ms, sha256 FROM image_paths WHERE abs_path = ? ORDER BY id').all(absPath) as PathRow[];
}

export function imageById(db: Db, id: number): ImageRow | undefined {
  return db.prepare('SELECT id, name, abs_path, sha256, version, width, height FROM images WHERE id = ?').get(id) as ImageRow | undefined;
}

/** The image currently holding this content (the oldest when several do). */
export function imageBySha(db: Db, sha256: string): ImageRow | undefined {
  return db.prepare('SELECT id, name, abs_path, sha256, version, width, height FROM images WHERE sha256 = ? ORDER BY id LIMIT 1').get(sha256) as ImageRow | undefined;
}

/** Whether `name` is free: no image has it as its name, and no image has it as a path alias. */
export function nameIsFree(db: Db, name: string): boolean {
  const [nfc, nfd] = forms(name);
  const taken = db.prepare('SELECT 1 FROM images WHERE name IN (?, ?) UNION ALL SELECT 1 FROM image_paths WHERE rel IN (?, ?) LIMIT 1').get(nfc, nfd, nfc, nfd);
  return taken === undefined;
}

/**
 * A unique, stable name for a new image: its path under the imported folder when free (as before
 * 0003, so triplet files keep working), else prefixed by the imported folder's name
 * (`cam2/IMG_0001.jpg`), then `cam2~2/…`, `cam2~3/…` until free. NFC.
 */
export function allocateName(db: Db, rel: string, folderName: string): string {
  const base = rel.normalize('NFC');
  if (nameIsFree(db, base)) return base;
  const prefix = folderName.normalize('NFC') || 'imported';
  for (let n = 1; ; n++) {
    const candidate = `${n === 1 ? prefix : `${prefix}~${n}`}/${base}`;
    if (nameIsFree(db, candidate)) return candidate;
  }
}

export function insertImage(db: Db, img: NewImage): number {
  const slash = img.name.lastIndexOf('/');
  const row = { ...img, basename: img.name.slice(slash + 1), folder: slash < 0 ? '' : img.name.slice(0, slash) };
  return Number(
    db
      .prepare(
        // Numbered above every id in use and every id removed (0014): an id always means one picture.
        `INSERT INTO images (id, name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb, orientation)
         VALUES (MAX(COALESCE((SELECT MAX(id) FROM images), 0), (SELECT last_id FROM image_changes)) + 1,
                 @name, @basename, @folder, @abs_path, @sha256, @width, @height, @bytes, @mtime_ms, @thumb, @orientation)`,
      )
      .run(row).lastInsertRowid,
  );
}

export function insertPath(db: Db, imageId: number, p: NewPath): void {
  db.prepare(
    `INSERT INTO image_paths (image_id, abs_path, root, rel, bytes, mtime_ms, ino, ctime_ms, sha256)
     VALUES (@imageId, @abs_path, @root, @rel, @bytes, @mtime_ms, @ino, @ctime_ms, @sha256)
     ON CONFLICT (image_id, abs_path) DO UPDATE SET bytes = excluded.bytes, mtime_ms = excluded.mtime_ms, ino = excluded.ino,
       ctime_ms = excluded.ctime_ms, sha256 = excluded.sha256`,
  ).run({ imageId, ...p });
}

/** Records the file's current size, times and number (content unchanged). */
export function touchPath(db: Db, pathId: number, stamp: FileStamp): void {
  db.prepare('UPDATE image_paths SET bytes = @bytes, mtime_ms = @mtime_ms, ino = @ino, ctime_ms = @ctime_ms WHERE id = @pathId').run({ ...stamp, pathId });
}

export function deletePath(db: Db, pathId: number): void {
  db.prepare('DELETE FROM image_paths WHERE id = ?').run(pathId);
}

/** Other paths of an image still recorded with the image's current content. */
export function pathsWithCurrentContent(db: Db, imageId: number, exceptPathId: number): PathRow[] {
  return db
    .prepare(
      `SELECT p.id, p.image_id, p.abs_path, p.rel, p.bytes, p.mtime_ms, p.ino, p.ctime_ms, p.sha256 FROM image_paths p JOIN images i ON i.id = p.image_id
       WHERE p.image_id = ? AND p.id <> ? AND p.sha256 = i.sha256`,
    )
    .all(imageId, exceptPathId) as PathRow[];
}

/** Makes `abs_path` the file the image is read from (features, full-size view). */
export function setPrimaryPath(db: Db, imageId: number, absPath: string): void {
  db.prepare('UPDATE images SET abs_path = ? WHERE id = ?').run(absPath, imageId);
}

/** The flag on a triplet whose image got new content it was not checked against; `how` says when. */
export const changedOnDiskReason = (name: string, how: string): string => `image "${name}" changed on disk ${how}: check this triplet`;

/**
 * A new version of an image's content: the old one is kept in image_versions, the image row takes the
 * new hash, size and thumbnail, and every triplet using the image is flagged with `reason` and loses
 * its stored distances. Returns the ids of the triplets flagged.
 */
export function newVersion(db: Db, imageId: number, img: Omit<NewImage, 'name'>, reason: string): number[] {
  db.prepare(
    `INSERT INTO image_versions (image_id, version, sha256, width, height) SELECT id, version, sha256, width, height FROM images WHERE id = ?`,
  ).run(imageId);
  db.prepare(
    `UPDATE images SET abs_path=@abs_path, sha256=@sha256, width=@width, height=@height, bytes=@bytes, mtime_ms=@mtime_ms, thumb=@thumb,
       orientation=@orientation, version = version + 1 WHERE id=@id`,
  ).run({ ...img, id: imageId });
  // The runs' stored distances were for the old photo: those triplets are scored again (unscored until then).
  db.prepare('DELETE FROM predictions WHERE triplet_id IN (SELECT id FROM triplets WHERE anchor_id = ? OR positive_id = ? OR negative_id = ?)').run(imageId, imageId, imageId);
  return db
    .prepare(
      `INSERT INTO triplet_flags (triplet_id, image_id, reason)
       SELECT id, ?, ? FROM triplets WHERE anchor_id = ? OR positive_id = ? OR negative_id = ?
       ON CONFLICT (triplet_id, image_id) DO UPDATE SET reason = excluded.reason, flagged_at = excluded.flagged_at
       RETURNING triplet_id`,
    )
    .pluck()
    .all(imageId, reason, imageId, imageId, imageId) as number[];
}

/** Images whose content was replaced (a new version) after `at` (an ISO time as the store writes it), with the last time. */
export function changedImagesSince(db: Db, at: string): Map<number, string> {
  const rows = db.prepare('SELECT image_id, MAX(replaced_at) FROM image_versions WHERE replaced_at > ? GROUP BY image_id').raw().all(at) as [number, string][];
  return new Map(rows);
}

/** Flagged triplets, oldest flag first (one row per triplet and changed image). */
export function listFlags(db: Db, tripletIds?: number[]): TripletFlag[] {
  const sql = `SELECT triplet_id AS tripletId, image_id AS imageId, reason, flagged_at AS flaggedAt FROM triplet_flags`;
  if (!tripletIds) return db.prepare(`${sql} ORDER BY flagged_at, triplet_id`).all() as TripletFlag[];
  if (!tripletIds.length) return [];
  const get = db.prepare(`${sql} WHERE triplet_id = ?`);
  return tripletIds.flatMap((id) => get.all(id) as TripletFlag[]);
}

/** Deletes these flags (a redone "checked"). */
export function deleteFlagRows(db: Db, flags: { tripletId: number; imageId: number }[]): void {
  const del = db.prepare('DELETE FROM triplet_flags WHERE triplet_id = ? AND image_id = ?');
  for (const f of flags) del.run(f.tripletId, f.imageId);
}

/** The user has looked at these triplets: their flags go. Returns how many were cleared. */
export function clearFlags(db: Db, tripletIds: number[]): number {
  const del = db.prepare('DELETE FROM triplet_flags WHERE triplet_id = ?');
  return db.transaction(() => tripletIds.reduce((n, id) => n + del.run(id).changes, 0))();
}

/** Every image with all the files it was imported from, by name. */
export interface ImageWithPaths {
  id: number;
  name: string;
  sha256: string;
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  /** EXIF orientation 1..8 (null: none, or imported before it was recorded). */
  orientation: number | null;
  /** Content version: 1, plus one per change of the file's content. */
  version: number;
  paths: string[];
}

export function listImagesWithPaths(db: Db): ImageWithPaths[] {
  const images = db.prepare('SELECT id, name, sha256, width, height, orientation, version FROM images ORDER BY name').all() as Omit<ImageWithPaths, 'paths'>[];
  const paths = new Map<number, string[]>();
  for (const r of db.prepare('SELECT image_id, abs_path FROM image_paths ORDER BY id').all() as { image_id: number; abs_path: string }[]) {
    const list = paths.get(r.image_id) ?? [];
    list.push(r.abs_path);
    paths.set(r.image_id, list);
  }
  return images.map((i) => ({ ...i, paths: paths.get(i.id) ?? [] }));
}

/** Names and path aliases (path under the imported folder, and that folder) of every image. */
export function nameRows(db: Db): { id: number; name: string; alias: string | null; root: string | null }[] {
  return db
    .prepare('SELECT i.id, i.name, p.rel AS alias, p.root FROM images i LEFT JOIN image_paths p ON p.image_id = i.id ORDER BY i.id, p.id')
    .all() as { id: number; name: string; alias: string | null; root: string | null }[];
}

/** Adds each flagged triplet's reason(s) to a page of triplets (`flag`). */
export function withFlags<T extends { items: { id: number; flag?: string }[] }>(db: Db, page: T): T {
  if (db.prepare('SELECT 1 FROM triplet_flags LIMIT 1').get() === undefined) return page;
  return { ...page, items: flagged(listFlags(db, page.items.map((t) => t.id)), page.items) };
}

/** `rows` with `flag` (the reasons, joined) on each one a flag names; the same array when none does. */
export function flagged<R extends { id: number; flag?: string }>(flags: TripletFlag[], rows: R[]): R[] {
  if (!flags.length) return rows;
  const reasons = new Map<number, string[]>();
  for (const f of flags) reasons.set(f.tripletId, [...(reasons.get(f.tripletId) ?? []), f.reason]);
  return rows.map((t) => (reasons.has(t.id) ? { ...t, flag: reasons.get(t.id)!.join('; ') } : t));
}

export function pathsOfImage(db: Db, imageId: number): PathRow[] {
  return db.prepare('SELECT id, image_id, abs_path, rel, bytes, mtime_ms, ino, ctime_ms, sha256 FROM image_paths WHERE image_id = ? ORDER BY id').all(imageId) as PathRow[];
}

// ---------- Reads for the library (Project.listImages, getImage, mediaPath, neighbours) ----------

/** The columns of an ImageRecord. */
const IMAGE_COLUMNS = 'id, name, basename, folder, sha256, width, height, bytes';

export function imageCount(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM images').pluck().get() as number;
}

/** One page of images by name, filtered by a name substring, a folder and/or a map selection. */
export function imagePage(db: Db, q: { search?: string; folder?: string; ids?: number[]; limit?: number; offset?: number }): { total: number; offset: number; items: ImageRecord[] } {
  const { where: w, params } = imageFilter(q);
  const total = db.prepare(`SELECT COUNT(*) FROM images ${w}`).pluck().get(params) as number;
  const offset = q.offset ?? 0;
  const items = db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images ${w} ORDER BY name LIMIT @limit OFFSET @offset`).all({ ...params, limit: q.limit ?? 200, offset }) as ImageRecord[];
  return { total, offset, items };
}

/** The WHERE clause of the Library's filters (shared by the grid's pages and removal). */
export function imageFilter(q: { search?: string; folder?: string; ids?: number[] }): { where: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.search) {
    where.push(`name LIKE @search ESCAPE '\\'`);
    params.search = `%${q.search.normalize('NFC').replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  }
  if (q.folder !== undefined) (where.push('folder = @folder'), (params.folder = q.folder));
  // Only these images (a selection on the embedding map).
  if (q.ids) (where.push('id IN (SELECT value FROM json_each(@ids))'), (params.ids = JSON.stringify(q.ids)));
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Which of `ids` are images of the project (the others were removed). */
export function existingImageIds(db: Db, ids: number[]): Set<number> {
  return new Set(db.prepare('SELECT id FROM images WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[]);
}

export function folders(db: Db): string[] {
  return db.prepare('SELECT DISTINCT folder FROM images ORDER BY folder').pluck().all() as string[];
}

/** Reader of image records by id (prepared once; undefined when unknown). */
export function imageRecordReader(db: Db): (id: number) => ImageRecord | undefined {
  const st = db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE id = ?`);
  return (id) => st.get(id) as ImageRecord | undefined;
}

/** An image's file and thumbnail paths (thumbnail relative to the project) and its content hash. */
export function mediaRow(db: Db, id: number): { abs_path: string; thumb: string | null; sha256: string } | undefined {
  return db.prepare('SELECT abs_path, thumb, sha256 FROM images WHERE id = ?').get(id) as { abs_path: string; thumb: string | null; sha256: string } | undefined;
}

/** Reader of the primary paths in id order, `limit` at a time after `afterId` (a long check reads
 * them a page at a time, so no single read holds the thread for the whole library). */
export function primaryPathPager(db: Db): (afterId: number, limit: number) => { id: number; abs_path: string }[] {
  const page = db.prepare('SELECT id, abs_path FROM images WHERE id > ? ORDER BY id LIMIT ?');
  return (afterId, limit) => page.all(afterId, limit) as { id: number; abs_path: string }[];
}

/** Each image's file as last imported (its primary path), for the ids given. */
export function primaryPaths(db: Db, ids: number[]): Map<number, string> {
  const rows = db.prepare('SELECT id, abs_path FROM images WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number; abs_path: string }[];
  return new Map(rows.map((r) => [r.id, r.abs_path]));
}

/** Reader of image names by id (prepared once). */
export function imageNameReader(db: Db): (id: number) => string | undefined {
  const st = db.prepare('SELECT name FROM images WHERE id = ?').pluck();
  return (id) => st.get(id) as string | undefined;
}

/** Reader of image ids by exact name (prepared once). */
export function imageIdByNameReader(db: Db): (name: string) => number | undefined {
  const st = db.prepare('SELECT id FROM images WHERE name = ?').pluck();
  return (name) => st.get(name) as number | undefined;
}
