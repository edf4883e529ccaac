// tfjs "layers-model" folders (model.json + binary shards) read and written with plain fs, so no
// tfjs-node is needed. Shared by the ResNet50 converter, the ONNX builder and the acquire step.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { AppError } from '../../../shared/errors.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface LayersModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: WeightsGroup[];
}

export interface LayersFolder {
  json: LayersModelJson;
  specs: WeightSpec[];
  /** All shards concatenated, in manifest order. */
  data: ArrayBuffer;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Bytes a weight group's shards must hold according to its specs. */
export function groupBytes(group: WeightsGroup): number {
  let n = 0;
  for (const w of group.weights) {
    const per = BYTES[w.dtype ?? 'float32'];
    if (per === undefined) throw new AppError('INVALID_FILE', `weight ${w.name}: unsupported dtype ${w.dtype}`);
    n += per * w.shape.reduce((a, b) => a * b, 1);
  }
  return n;
}

export function readModelJson(dir: string): LayersModelJson {
  const file = join(dir, 'model.json');
  let json: LayersModelJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as LayersModelJson;
  } catch (err) {
    throw new AppError('INVALID_FILE', `${file}: ${(err as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new AppError('INVALID_FILE', `${file} is not a tfjs layers model (no modelTopology or weightsManifest).`);
  }
  return json;
}

/**
 * Why a weightsManifest path is refused, or null when it is a plain relative path inside `dir`:
 * no absolute path, no `..` segment, no backslash or NUL, and (when `dir` is given and the file
 * exists) no symlink that resolves outside the folder. model.json comes from wherever the user
 * got it, so its paths are checked before any file they name is read or copied.
 */
export function unsafeShardPath(p: string, dir?: string): string | null {
  if (typeof p !== 'string' || p === '') return 'empty path';
  if (p.includes('\\') || p.includes('\0')) return 'backslash or NUL in the path';
  if (isAbsolute(p) || /^[a-zA-Z]:/.test(p)) return 'absolute path';
  if (p.split('/').some((seg) => seg === '..')) return '".." in the path';
  if (!dir) return null;
  let real: string;
  try {
    lstatSync(join(dir, p));
    real = realpathSync(join(dir, p));
  } catch {
    return null; // missing: reported as such by the caller
  }
  const rel = relative(realpathSync(dir), real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'a symlink that leads outside the folder';
  return null;
}

/** Problems with model.json's shard paths (see unsafeShardPath), one message each. */
export function shardPathProblems(json: LayersModelJson, dir?: string): string[] {
  const problems: string[] = [];
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group?.paths)) {
      problems.push('a weights group has no paths list');
      continue;
    }
    for (const p of group.paths) {
      const why = unsafeShardPath(p, dir);
      if (why) problems.push(`refusing shard path ${JSON.stringify(p)}: ${why}`);
    }
  }
  return problems;
}

/**
 * Checks that every shard named in model.json exists and that each group's shards together hold
 * exactly the bytes its weight specs need. Returns the problems (empty when the folder is whole).
 * Shard paths are always checked lexically (no `..`, no absolute path); `copying` also refuses
 * symlinks that lead outside `dir` (a folder being copied in from elsewhere: copying would follow
 * them). An installed folder may hold symlinks its owner made (the benchmarks link shared shards).
 */
export function checkLayersFolder(dir: string, copying = false): string[] {
  const problems: string[] = [];
  let json: LayersModelJson;
  try {
    json = readModelJson(dir);
  } catch (err) {
    return [(err as Error).message];
  }
  const unsafe = shardPathProblems(json, copying ? dir : undefined);
  if (unsafe.length > 0) return unsafe; // never stat or read outside the folder
  for (const group of json.weightsManifest) {
    let have = 0;
    for (const p of group.paths) {
      try {
        have += statSync(join(dir, p)).size;
      } catch {
        problems.push(`shard ${p} is missing`);
      }
    }
    const want = groupBytes(group);
    if (have !== want && group.paths.every((p) => safeExists(join(dir, p)))) {
      problems.push(`shards ${group.paths.join(', ')} hold ${have} bytes, model.json needs ${want}`);
    }
  }
  return problems;
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function readLayersFolder(dir: string): LayersFolder {
  const problems = checkLayersFolder(dir);
  if (problems.length > 0) throw new AppError('INVALID_FILE', `${dir}: ${problems.join('; ')}`);
  const json = readModelJson(dir);
  const buffers: Buffer[] = [];
  const specs: WeightSpec[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
    specs.push(...group.weights.map((w) => ({ ...w, dtype: w.dtype ?? 'float32' })));
  }
  const all = Buffer.concat(buffers);
  return { json, specs, data: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}

/** Weights by name as float32 views into the concatenated shards. */
export function weightMap(folder: LayersFolder): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const s of folder.specs) {
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (s.dtype !== 'float32') throw new AppError('INVALID_FILE', `weight ${s.name}: only float32 is supported, got ${s.dtype}`);
    out.set(s.name, { shape: s.shape, data: new Float32Array(folder.data, offset, count) });
    offset += count * 4;
  }
  return out;
}

/** Writes model.json plus 4 MB shards (tfjs's own shard size) into an existing folder. */
export function writeLayersFolder(
  dir: string,
  modelTopology: unknown,
  specs: WeightSpec[],
  data: ArrayBuffer,
  extra: Record<string, unknown> = {},
): void {
  const SHARD = 4 * 1024 * 1024;
  const count = Math.max(1, Math.ceil(data.byteLength / SHARD));
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `group1-shard${i + 1}of${count}.bin`;
    writeFileSync(join(dir, name), new Uint8Array(data, i * SHARD, Math.min(SHARD, data.byteLength - i * SHARD)));
    paths.push(name);
  }
  const json: LayersModelJson = {
    format: 'layers-model',
    generatedBy: 'triplet-studio',
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths, weights: specs }],
    ...extra,
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

/**
 * Fingerprint of a layers folder: hash of model.json plus each shard's size and mtime (hashing
 * 100 MB of shards on every start-up would cost more than it protects). Derived caches (ONNX) are
 * keyed by it, so replacing model.json or a shard regenerates them.
 */
export function layersFolderFingerprint(dir: string): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(dir, 'model.json')));
  for (const g of readModelJson(dir).weightsManifest) {
    for (const p of g.paths) {
      const st = statSync(join(dir, p));
      h.update(`${p}:${st.size}:${st.mtimeMs}`);
    }
  }
  return h.digest('hex');
}

/** Loads a layers folder into tfjs (any backend) without a file:// IO handler. */
export async function loadLayersModelFromDir(tf: typeof import('@tensorflow/tfjs'), dir: string): Promise<import('@tensorflow/tfjs').LayersModel> {
  const folder = readLayersFolder(dir);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: folder.json.modelTopology as object,
      weightSpecs: folder.specs as import('@tensorflow/tfjs').io.WeightsManifestEntry[],
      weightData: folder.data,
    }),
  );
}
