// Imports a folder of images into a project: one row per decodable image plus a shared webp thumbnail.
// Re-import is idempotent: files whose size and mtime are unchanged are not even read; changed files
// are re-hashed and updated (their cached features dropped when the content changed).
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../shared/errors.js';
import type { ImageImportReport, SkippedFile } from '../../shared/types.js';
import { etaEstimator, throwIfAborted, type ProgressFn } from '../jobs/eta.js';
import type { Db } from '../store/db.js';
import { scanFolder, type ScannedFile } from './scan.js';

export const THUMB_SIZE = 256;
/** Formats accepted as images (sharp's names; AVIF is reported as 'heif'). */
const FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

export interface ImportImagesOptions {
  /** Files decoded at once (each sharp call uses one libuv thread). Default: 2 × cores, 2..4. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Rows written per transaction. */
  batchSize?: number;
}

interface Decoded {
  file: ScannedFile;
  sha256: string;
  width: number;
  height: number;
  thumb: string;
}

interface ExistingRow {
  id: number;
  bytes: number;
  mtime_ms: number;
  abs_path: string;
  sha256: string;
}

export const thumbRelPath = (sha256: string): string => `thumbs/${sha256.slice(0, 2)}/${sha256}.webp`;

/**
 * Files in flight: twice the cores, capped at libuv's 4 pool threads (reads and sharp both run there).
 * Measured on 2 shared cores (bench/import.ts): 1 → 23.8 images/s, 2 → 27.5, 4 → 33.6.
 */
export function defaultImportConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism() * 2));
}

export async function importImages(db: Db, projectDir: string, folder: string, opts: ImportImagesOptions = {}): Promise<ImageImportReport> {
  const started = performance.now();
  const root = resolve(folder);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new AppError('NOT_FOUND', `Image folder not found: ${root}`);
  const files = await scanFolder(root);
  const existing = new Map<string, ExistingRow>();
  for (const row of db.prepare('SELECT id, name, bytes, mtime_ms, abs_path, sha256 FROM images').all() as (ExistingRow & { name: string })[]) {
    existing.set(row.name, row);
  }

  const report: ImageImportReport = { added: 0, unchanged: 0, updated: 0, skipped: [], seconds: 0 };
  const todo: ScannedFile[] = [];
  const moved: { id: number; path: string }[] = [];
  for (const f of files) {
    const old = existing.get(f.name);
    if (old && old.bytes === f.bytes && old.mtime_ms === f.mtimeMs) {
      report.unchanged++;
      if (old.abs_path !== f.path) moved.push({ id: old.id, path: f.path });
    } else todo.push(f);
  }
  if (moved.length) {
    const upd = db.prepare('UPDATE images SET abs_path = ? WHERE id = ?');
    db.transaction(() => moved.forEach((m) => upd.run(m.path, m.id)))();
  }

  const writer = makeWriter(db, existing, report);
  const eta = etaEstimator();
  let done = report.unchanged;
  const total = files.length;
  const progress = () => opts.onProgress?.({ phase: 'images', done, total, eta: eta('images', done, total) });
  progress();

  const batchSize = opts.batchSize ?? 64;
  let pending: Decoded[] = [];
  const flush = () => {
    if (pending.length) writer(pending);
    pending = [];
  };
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      throwIfAborted(opts.signal);
      const file = todo[next++];
      try {
        // Await first: `pending` may be swapped by a flush while this file decodes.
        const decoded = await decodeFile(file, projectDir);
        pending.push(decoded);
      } catch (err) {
        report.skipped.push(skipReason(file, err));
      }
      if (pending.length >= batchSize) flush();
      done++;
      progress();
    }
  };
  try {
    const n = Math.max(1, opts.concurrency ?? defaultImportConcurrency());
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    // Whatever was decoded is kept, so a cancelled import resumes where it stopped.
    flush();
  }
  report.skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** Reads, hashes and decodes one file and writes its thumbnail (shared by identical files). */
async function decodeFile(file: ScannedFile, projectDir: string): Promise<Decoded> {
  const buf = await readFile(file.path);
  if (buf.length === 0) throw new Error('empty file');
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const img = sharp(buf, { failOn: 'error' });
  const meta = await img.metadata();
  if (!meta.format || !FORMATS.has(meta.format)) throw new Error(`unsupported image format ${meta.format ?? 'unknown'}`);
  if (!meta.width || !meta.height) throw new Error('image has no size');
  const thumb = thumbRelPath(sha256);
  const thumbAbs = join(projectDir, thumb);
  // Decoding the full image for the thumbnail is also what detects truncated/corrupt files.
  const tmp = `${thumbAbs}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await mkdir(join(thumbAbs, '..'), { recursive: true });
  try {
    await img.resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toFile(tmp);
    await rename(tmp, thumbAbs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { file, sha256, width: meta.width, height: meta.height, thumb };
}

function skipReason(file: ScannedFile, err: unknown): SkippedFile {
  const raw = err instanceof Error ? err.message : String(err);
  const reason = /unsupported image format/i.test(raw) && !/format \w+$/.test(raw) ? 'not an image (unsupported format)' : raw.split('\n')[0];
  return { path: file.path, reason };
}

/** Returns a function writing one batch of decoded files in one transaction. */
function makeWriter(db: Db, existing: Map<string, ExistingRow>, report: ImageImportReport): (batch: Decoded[]) => void {
  const insert = db.prepare(
    `INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb)
     VALUES (@name, @basename, @folder, @abs_path, @sha256, @width, @height, @bytes, @mtime_ms, @thumb)`,
  );
  const update = db.prepare(
    `UPDATE images SET abs_path=@abs_path, sha256=@sha256, width=@width, height=@height, bytes=@bytes, mtime_ms=@mtime_ms, thumb=@thumb
     WHERE id=@id`,
  );
  const dropFeatures = db.prepare('DELETE FROM features WHERE image_id = ?');
  return db.transaction((batch: Decoded[]) => {
    for (const d of batch) {
      const slash = d.file.name.lastIndexOf('/');
      const row = {
        name: d.file.name,
        basename: d.file.name.slice(slash + 1),
        folder: slash < 0 ? '' : d.file.name.slice(0, slash),
        abs_path: d.file.path,
        sha256: d.sha256,
        width: d.width,
        height: d.height,
        bytes: d.file.bytes,
        mtime_ms: d.file.mtimeMs,
        thumb: d.thumb,
      };
      const old = existing.get(d.file.name);
      if (!old) {
        insert.run(row);
        report.added++;
      } else {
        update.run({ ...row, id: old.id });
        if (old.sha256 !== d.sha256) {
          dropFeatures.run(old.id);
          report.updated++;
        } else report.unchanged++;
      }
    }
  });
}
