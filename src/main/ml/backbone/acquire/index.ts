// Getting a backbone's weights into <backbonesDir()>/<id>, the way users already have them:
//  - resnet50: Keras's ImageNet "notop" .h5, found in the Keras cache (~/.keras/models,
//    $KERAS_HOME/models), at a path the user gives, or downloaded from Keras's address; md5-checked
//    against the hash in Keras's source, then converted once to a tfjs layers folder.
//  - mobilenet_v1_0.75_224: the TensorFlow.js layers model (model.json + shards), copied from a
//    folder the user picks or downloaded from its tfjs-models address; shard sizes checked against
//    model.json.
// Installation is atomic: everything is assembled in a temp folder beside the target and renamed
// into place, so a failure (checksum, network, cancel) never leaves a half-written backbone.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../../../shared/errors.js';
import { isMarkedReadOnly } from '../../../util/read-only.js';
import { backboneSpec, backbonesDir } from '../registry.js';
import { weightsFingerprint } from '../fingerprint.js';
import { checkLayersFolder, groupBytes, readModelJson, shardPathProblems } from '../../convert/layers-folder.js';
import { digestFile, downloadFile, type FileDigest } from './download.js';
import { makeDirs } from '../../../util/make-dirs.js';

export const RESNET50_H5 = 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5';
export const RESNET50_URL = `https://storage.googleapis.com/tensorflow/keras-applications/resnet/${RESNET50_H5}`;
/** From keras.applications.resnet WEIGHTS_HASHES['resnet50'][1] (Keras publishes md5 only). */
export const RESNET50_MD5 = '4d473c1dd8becc155b73f8504c6f6626';
export const MOBILENET_URL = 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json';

export type AcquirePhase = 'locate' | 'download' | 'verify' | 'convert' | 'copy' | 'optimise' | 'install';

export interface AcquireProgress {
  phase: AcquirePhase;
  message: string;
  /** Download/copy progress in bytes, when known (total −1 when the server does not say). */
  received?: number;
  total?: number;
  file?: string;
}

export interface AcquireOptions {
  /** A file (.h5) or a folder (Keras cache folder, or a tfjs layers folder) the user already has. */
  from?: string;
  /** Download from here instead of the canonical address (a mirror). */
  url?: string;
  /** Expected md5 of the resnet50 .h5 (default: Keras's); null skips the check (e.g. own fine-tuned weights). */
  md5?: string | null;
  onProgress?(p: AcquireProgress): void;
  signal?: AbortSignal;
  /** Download attempts per file (each resumes). */
  attempts?: number;
  /** Build the ONNX cache during install (default true when onnxruntime-node loads). */
  prepareOnnx?: boolean;
}

export interface AcquireResult {
  id: string;
  dir: string;
  source: 'keras-cache' | 'path' | 'download' | 'folder';
  /** The file or URL the weights came from. */
  origin: string;
  md5?: string;
  sha256?: string;
  seconds: number;
}

/**
 * A download address under TRIPLET_STUDIO_BACKBONE_MIRROR (an organisation's mirror, or a loopback
 * server in tests), laid out like the canonical ones: `<mirror>/<resnet50 .h5 name>` and
 * `<mirror>/<id>/model.json`. Undefined without the variable: the canonical address is used.
 */
export function mirrorUrl(id: string): string | undefined {
  const base = process.env.TRIPLET_STUDIO_BACKBONE_MIRROR?.replace(/\/+$/, '');
  if (!base) return undefined;
  return id === 'resnet50' ? `${base}/${RESNET50_H5}` : `${base}/${id}/model.json`;
}

/** Keras's cache folders, in the order Keras itself uses them. */
export function kerasCacheDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.KERAS_HOME) dirs.push(join(process.env.KERAS_HOME, 'models'));
  dirs.push(join(homedir(), '.keras', 'models'));
  dirs.push(join(tmpdir(), '.keras', 'models')); // Keras falls back here when ~ is not writable
  return dirs;
}

export async function acquireBackbone(id: string, opts: AcquireOptions = {}): Promise<AcquireResult> {
  backboneSpec(id);
  const t0 = performance.now();
  const root = backbonesDir();
  makeDirs(root);
  refuseReadOnly(root, id);
  const tmp = mkdtempSync(join(root, `.install-${id}-`));
  try {
    const result = id === 'resnet50' ? await acquireResNet50(tmp, opts) : await acquireLayersModel(id, tmp, opts);
    opts.signal?.throwIfAborted();
    if (opts.prepareOnnx !== false) await prepareOnnx(id, tmp, opts);
    weightsFingerprint(tmp); // hashed once now and kept beside the weights: cheap to read at run time
    opts.onProgress?.({ phase: 'install', message: `Installing into ${join(root, id)}` });
    installDir(tmp, join(root, id));
    return { id, dir: join(root, id), ...result, seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Shared weights (a folder without write bits, such as ../shared/models) are never replaced, even
 * when running as root would allow it: the user is told to install into a folder of their own.
 */
function refuseReadOnly(root: string, id: string): void {
  const target = join(root, id);
  const locked = [root, target].find((d) => existsSync(d) && isMarkedReadOnly(d));
  if (locked) {
    throw new AppError('FORBIDDEN', `${locked} is read-only, so ${id} is not installed there. Unset TRIPLET_STUDIO_BACKBONES (the app's own folder is used) or set it to a folder you can write.`, { path: locked });
  }
}

/** Swaps `tmp` into `target` with renames only (the old folder is removed after the swap). */
function installDir(tmp: string, target: string): void {
  let old: string | null = null;
  if (existsSync(target)) {
    old = `${target}.old-${process.pid}-${Date.now()}`;
    renameSync(target, old);
  }
  try {
    renameSync(tmp, target);
  } catch (err) {
    if (old) renameSync(old, target);
    throw err;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Builds model.onnx now, so the first embed does not pay for it (skipped without onnxruntime). */
async function prepareOnnx(id: string, dir: string, opts: AcquireOptions): Promise<void> {
  try {
    const { loadOrt, createOnnxEngine } = await import('../../features/onnx-engine.js');
    await loadOrt();
    opts.onProgress?.({ phase: 'optimise', message: 'Building the ONNX model (batch norm folded)' });
    // Creating a session writes model.onnx and onnxruntime's optimised graph for this CPU.
    const engine = await createOnnxEngine(backboneSpec(id), dir, 1);
    engine.dispose?.();
  } catch (err) {
    if (err instanceof AppError) throw err;
    // onnxruntime not available: the tfjs engine will run the layers model.
  }
}

// ---------- ResNet50 ----------

type Partial = Omit<AcquireResult, 'id' | 'dir' | 'seconds'>;

async function acquireResNet50(tmp: string, opts: AcquireOptions): Promise<Partial> {
  const expected = opts.md5 === undefined ? RESNET50_MD5 : opts.md5;
  let h5: string;
  let source: AcquireResult['source'];
  let origin: string;
  let downloaded = false;
  opts.onProgress?.({ phase: 'locate', message: 'Looking for the Keras ResNet50 weights' });
  if (opts.from) {
    const p = resolve(opts.from);
    if (!existsSync(p)) throw new AppError('NOT_FOUND', `${p} does not exist.`);
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'model.json'))) return copyLayersFolder(p, tmp, opts);
      const names = readdirSync(p).filter((n) => n.toLowerCase().endsWith('.h5'));
      const pick = names.includes(RESNET50_H5) ? RESNET50_H5 : names.find((n) => n.includes('notop')) ?? names[0];
      if (!pick) throw new AppError('NOT_FOUND', `${p} holds no .h5 file and no model.json (looked for ${RESNET50_H5}).`);
      h5 = join(p, pick);
    } else {
      h5 = p;
    }
    source = 'path';
    origin = h5;
  } else {
    const cached = opts.url ? null : kerasCacheDirs().map((d) => join(d, RESNET50_H5)).find((f) => existsSync(f));
    if (cached) {
      h5 = cached;
      source = 'keras-cache';
      origin = cached;
    } else {
      origin = opts.url ?? RESNET50_URL;
      const dlDir = join(backbonesDir(), '.downloads');
      makeDirs(dlDir);
      h5 = join(dlDir, RESNET50_H5);
      rmSync(h5, { force: true }); // a finished-but-unverified leftover is re-fetched, a .part resumed
      try {
        await downloadFile(origin, h5, {
          signal: opts.signal,
          attempts: opts.attempts,
          onProgress: (received, total) => opts.onProgress?.({ phase: 'download', message: `Downloading ${RESNET50_H5}`, received, total, file: RESNET50_H5 }),
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const looked = opts.url ? '' : ` ${RESNET50_H5} was not found in ${kerasCacheDirs().join(', ')}.`;
        throw new AppError(err.code, `${err.message}${looked} Without internet, copy the file there or pass --from PATH.`, err.details);
      }
      source = 'download';
      downloaded = true;
    }
  }
  opts.onProgress?.({ phase: 'verify', message: `Checking ${basename(h5)}` });
  const digest = await digestFile(h5);
  if (expected && digest.md5 !== expected) {
    if (downloaded) rmSync(h5, { force: true });
    throw new AppError(
      'INVALID_FILE',
      `Checksum mismatch for ${origin}: md5 ${digest.md5}, expected ${expected} (Keras's published hash for ${RESNET50_H5}). ` +
        `The file is damaged or is not the Keras ResNet50 notop weights; nothing was installed.`,
      { md5: digest.md5, expected },
    );
  }
  opts.signal?.throwIfAborted();
  opts.onProgress?.({ phase: 'convert', message: 'Converting to a TensorFlow.js layers model' });
  const { convertResNet50H5 } = await import('../../convert/resnet50-h5.js'); // loads tfjs: only when converting
  await convertResNet50H5(h5, tmp, { source: sourceInfo(source, origin, digest) });
  if (downloaded) rmSync(h5, { force: true }); // converted: the 94 MB download is no longer needed
  return { source, origin, md5: digest.md5, sha256: digest.sha256 };
}

function sourceInfo(source: string, origin: string, d: FileDigest): Record<string, unknown> {
  return { source, origin, bytes: d.bytes, md5: d.md5, sha256: d.sha256 };
}

// ---------- tfjs layers models (MobileNet) ----------

async function acquireLayersModel(id: string, tmp: string, opts: AcquireOptions): Promise<Partial> {
  if (opts.from) {
    const p = resolve(opts.from);
    const dir = existsSync(p) && statSync(p).isFile() ? dirname(p) : p;
    if (!existsSync(join(dir, 'model.json'))) throw new AppError('NOT_FOUND', `${dir} has no model.json (pick the folder holding model.json and its shards).`);
    return copyLayersFolder(dir, tmp, opts);
  }
  const url = opts.url ?? (id === 'mobilenet_v1_0.75_224' ? MOBILENET_URL : null);
  if (!url) throw new AppError('BAD_ARGUMENTS', `No download address is known for "${id}"; pass --url or --from.`);
  const dlDir = join(backbonesDir(), '.downloads', id);
  makeDirs(dlDir);
  // Progress counts the shards' bytes as one download (model.json says how many there are).
  let before = 0;
  let expected = -1;
  const fetchOne = async (name: string, fileUrl: string): Promise<void> => {
    const dest = join(dlDir, name);
    rmSync(dest, { force: true });
    await downloadFile(fileUrl, dest, {
      signal: opts.signal,
      attempts: opts.attempts,
      onProgress: (received, total) =>
        opts.onProgress?.({
          phase: 'download',
          message: `Downloading ${name}`,
          received: expected > 0 ? before + received : received,
          total: expected > 0 ? expected : total,
          file: name,
        }),
    });
    before += statSync(dest).size;
    renameSync(dest, join(tmp, name));
  };
  await fetchOne('model.json', url);
  const json = readModelJson(tmp);
  const unsafe = shardPathProblems(json);
  if (unsafe.length > 0) throw new AppError('INVALID_FILE', `${url}: ${unsafe.join('; ')}; nothing was installed.`);
  const shards = json.weightsManifest.flatMap((g) => g.paths);
  before = 0;
  expected = json.weightsManifest.reduce((sum, g) => sum + groupBytes(g), 0);
  for (const s of shards) {
    await fetchOne(s, new URL(s, url).href);
  }
  verifyLayersFolder(tmp, url);
  rmSync(dlDir, { recursive: true, force: true });
  const digest = await digestFile(join(tmp, 'model.json'));
  writeFileSync(join(tmp, 'source.json'), JSON.stringify({ source: 'download', origin: url, modelJsonSha256: digest.sha256, shards }, null, 2));
  return { source: 'download', origin: url, sha256: digest.sha256 };
}

function verifyLayersFolder(dir: string, origin: string): void {
  const problems = checkLayersFolder(dir, true);
  if (problems.length > 0) throw new AppError('INVALID_FILE', `${origin}: ${problems.join('; ')}; nothing was installed.`);
}

/**
 * Copies model.json and exactly the shards it names (checked before and after the copy). The shard
 * paths are checked first (verifyLayersFolder → checkLayersFolder → shardPathProblems): no `..`,
 * absolute path or symlink leading outside `src` is ever read or copied.
 */
async function copyLayersFolder(src: string, tmp: string, opts: AcquireOptions): Promise<Partial> {
  verifyLayersFolder(src, src);
  const json = readModelJson(src);
  const files = ['model.json', ...json.weightsManifest.flatMap((g) => g.paths)];
  let done = 0;
  for (const f of files) {
    opts.signal?.throwIfAborted();
    makeDirs(dirname(join(tmp, f)));
    copyFileSync(join(src, f), join(tmp, f));
    // One message for the whole copy (a new message per file would be a new step each time, never throttled).
    opts.onProgress?.({ phase: 'copy', message: 'Copying the model files', received: ++done, total: files.length, file: f });
  }
  verifyLayersFolder(tmp, src);
  const digest = await digestFile(join(tmp, 'model.json'));
  writeFileSync(join(tmp, 'source.json'), JSON.stringify({ source: 'folder', origin: src, modelJsonSha256: digest.sha256 }, null, 2));
  return { source: 'folder', origin: src, sha256: digest.sha256 };
}
