// The weights fingerprint of an installed backbone: a sha256 over its weight files' names and
// contents (model.json + the shards it names; or the .h5/.onnx files when there is no model.json).
// It is part of the feature-cache key, so replaced or edited weights never reuse old features.
// Hashing ResNet50's 94 MB takes about a second, so the result is kept beside the weights in
// FINGERPRINT_FILE together with each file's size, mtime and inode, and reused while those match
// (a read-only folder is re-hashed once per process instead).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModelJson } from '../convert/layers-folder.js';

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

function readStored(dir: string): Stored | null {
  try {
    const s = JSON.parse(readFileSync(join(dir, FINGERPRINT_FILE), 'utf8')) as Stored;
    return s.version === 1 && typeof s.fingerprint === 'string' && Array.isArray(s.files) ? s : null;
  } catch {
    return null;
  }
}

/**
 * The fingerprint of the weights in `dir` (16 hex digits of the sha256 are kept: plenty to tell
 * weight files apart, short enough for a key column). Cheap when nothing changed since last time.
 */
export function weightsFingerprint(dir: string): string {
  const names = weightFileNames(dir);
  const now = stamps(dir, names);
  const known = memo.get(dir) ?? readStored(dir);
  if (known && sameStamps(known.files, now)) {
    memo.set(dir, known);
    return known.fingerprint;
  }
  const stored: Stored = { version: 1, fingerprint: hashFiles(dir, names).slice(0, 16), files: now };
  memo.set(dir, stored);
  try {
    writeFileSync(join(dir, FINGERPRINT_FILE), JSON.stringify(stored, null, 2));
  } catch {
    // read-only weights folder (e.g. shared models): the in-process memo has to do
  }
  return stored.fingerprint;
}
