// The weights fingerprint of an installed backbone: a sha256 over its weight files' names and
// contents (model.json + the shards it names; or the .h5/.onnx files when there is no model.json).
// It is part of the feature-cache key, so replaced or edited weights never reuse old features.
// Hashing ResNet50's 94 MB takes about a second, so the result is kept beside the weights in
// FINGERPRINT_FILE together with each file's size, mtime and inode, and reused while those match.
// A folder marked read-only (shared weights) is never written to: its record goes to the app's cache.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { appDataDir } from '../../util/paths.js';
import { isMarkedReadOnly } from '../../util/read-only.js';
import { readModelJson } from '../convert/layers-folder.js';
import { makeDirs } from '../../util/make-dirs.js';

export const FINGERPRINT_FILE = '.weights-fingerprint.json';

interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

interface Stored {
  version: 1;
  fingerprint: string;
  files: FileStamp[];
}

const memo = new Map<string, Stored>();

/** The files whose bytes define the weights, in a stable order. */
export function weightFileNames(dir: string): string[] {
  if (existsSync(join(dir, 'model.json'))) {
    const json = readModelJson(dir);
    return ['model.json', ...json.weightsManifest.flatMap((g) => g.paths)];
  }
  return readdirSync(dir)
    .filter((n) => /\.(h5|onnx)$/i.test(n))
    .sort();
}

function stamps(dir: string, names: string[]): FileStamp[] {
  return names.map((name) => {
    const s = statSync(join(dir, name));
    return { name, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  });
}

const sameStamps = (a: FileStamp[], b: FileStamp[]): boolean =>
  a.length === b.length && a.every((s, i) => s.name === b[i].name && s.size === b[i].size && s.mtimeMs === b[i].mtimeMs && s.ino === b[i].ino);

function hashFiles(dir: string, names: string[]): string {
  const all = createHash('sha256');
  for (const name of names) {
    const one = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
    all.update(`${name}\0${one}\n`);
  }
  return all.digest('hex');
}

/**
 * Where the record of `dir` may be kept, in order: beside the weights, then the app's cache (a
 * folder marked read-only gets only the cache; one whose writes fail falls through to it).
 */
export function fingerprintRecordPaths(dir: string): string[] {
  const tag = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16);
  const cached = join(appDataDir(), 'cache', 'fingerprints', `${tag}.json`);
  return isMarkedReadOnly(dir) ? [cached] : [join(dir, FINGERPRINT_FILE), cached];
}

function readStored(path: string): Stored | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Stored;
    return s.version === 1 && typeof s.fingerprint === 'string' && Array.isArray(s.files) ? s : null;
  } catch {
    return null;
  }
}

/** Writes the record to the first place that takes it (tmp + rename: another process may be reading). */
function writeStored(paths: string[], stored: Stored): void {
  for (const path of paths) {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      makeDirs(dirname(path));
      writeFileSync(tmp, JSON.stringify(stored, null, 2));
      renameSync(tmp, path);
      return;
    } catch {
      rmSync(tmp, { force: true }); // not writable here: try the next place; with none, the in-process memo has to do
    }
  }
}

/**
 * The fingerprint of the weights in `dir` (16 hex digits of the sha256 are kept: plenty to tell
 * weight files apart, short enough for a key column). Cheap when nothing changed since last time.
 */
export function weightsFingerprint(dir: string): string {
  const names = weightFileNames(dir);
  const now = stamps(dir, names);
  const current = (k: Stored | null | undefined): k is Stored => !!k && sameStamps(k.files, now);
  const memoised = memo.get(dir);
  if (current(memoised)) return memoised.fingerprint;
  const paths = fingerprintRecordPaths(dir);
  for (const path of paths) {
    const known = readStored(path);
    if (current(known)) {
      memo.set(dir, known);
      return known.fingerprint;
    }
  }
  const stored: Stored = { version: 1, fingerprint: hashFiles(dir, names).slice(0, 16), files: now };
  memo.set(dir, stored);
  writeStored(paths, stored);
  return stored.fingerprint;
}
