// `export-model`: a finished run for use outside the app.
//  - ONNX: one file, backbone and encoder together — input `image`: float32 [N, 224, 224, 3], RGB
//    values 0–255 of the image resized (squashed) to 224×224 as the run's preprocessing says
//    (antialias: bilinear; nearest: PIL NEAREST), EXIF orientation as recorded; output `encoding`:
//    [N, dim], exactly the vectors `encode` writes and the app scores with (see ml/convert/onnx-encoder.ts).
//  - tfjs: the encoder alone (backbone features in), one tfjs layers model per ensemble member
//    (member-K/model.json + weights.bin) and encoder.json saying how the members are combined.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { ExportPreprocessing, ModelExportReport, RunSummary } from '../../shared/types.js';
import { backbonePath, backboneSpec, saveEncoder, type EncoderWeights, type NamedWeight } from '../ml/index.js';
import { ensureResNet50Folder } from '../ml/backbone/resnet50/install.js';
import { readLayersFolder, weightMap } from '../ml/convert/layers-folder.js';
import { appendEncoderHead } from '../ml/convert/onnx-encoder.js';
import { WEIGHT_NAMES } from '../ml/encoder/model.js';
import { prepOfRun } from './features.js';
import { writeAtomic } from './matrix-files.js';
import { notWrittenFor } from '../util/file-target.js';
import { makeDirs } from '../util/make-dirs.js';
import { flushFolder, writeFileFlushed } from '../util/durable.js';

/** The encoder's members, 4 weights each, with the plain layer names a tfjs loader expects. */
function membersOf(enc: EncoderWeights): NamedWeight[][] {
  const out: NamedWeight[][] = [];
  for (let k = 0; k < enc.weights.length / 4; k++) out.push(enc.weights.slice(4 * k, 4 * k + 4).map((w, i) => ({ ...w, name: WEIGHT_NAMES[i] })));
  return out;
}

/** How to feed the exported model, written beside it and in the CLI's report. */
export function preprocessingOf(run: RunSummary): ExportPreprocessing {
  const spec = backboneSpec(run.options.backbone);
  const prep = prepOfRun(run.options);
  return {
    backbone: spec.id,
    size: spec.inputSize,
    resize: prep.resize === 'nearest' ? 'nearest (PIL NEAREST, as Keras load_img), aspect not kept' : 'bilinear (antialias), aspect not kept',
    exif: prep.exif ? 'apply the EXIF orientation first' : 'ignore the EXIF orientation',
    values: spec.preprocessing === 'tf' ? 'RGB 0–255 in; the model scales to [−1, 1]' : 'RGB 0–255 in; the model swaps to BGR and subtracts the ImageNet means',
    distance: run.options.distance,
    kernel: prep.resize === 'nearest' ? 'nearest' : 'bilinear',
  };
}

export type { ModelExportReport };

/** Builds the run's image → encoding ONNX model in memory (a second or two; nothing written). */
export async function onnxModelOf(run: RunSummary, enc: EncoderWeights): Promise<{ bytes: Uint8Array; dim: number }> {
  const spec = backboneSpec(run.options.backbone);
  const dir = backbonePath(spec.id);
  if (spec.id === 'resnet50') await ensureResNet50Folder(dir);
  const folder = readLayersFolder(dir);
  let dim = 0;
  const { buildOnnx } = await import('../ml/convert/onnx-build.js');
  const bytes = buildOnnx(folder.json.modelTopology, weightMap(folder), {
    featureLayer: spec.featureLayer,
    pixels: spec.preprocessing,
    head: (g, features) => {
      const h = appendEncoderHead(g, features, membersOf(enc));
      dim = h.dim;
      return h;
    },
  });
  return { bytes, dim };
}

/** Writes a built ONNX model to `file`, whole or not at all. */
export function writeOnnx(model: { bytes: Uint8Array; dim: number }, file: string): { file: string; dim: number; bytes: number } {
  writeAtomic(resolve(file), model.bytes);
  return { file: resolve(file), dim: model.dim, bytes: model.bytes.length };
}

/** Builds and writes the run's image → encoding ONNX model. */
export async function exportOnnx(run: RunSummary, enc: EncoderWeights, file: string): Promise<{ file: string; dim: number; bytes: number }> {
  return writeOnnx(await onnxModelOf(run, enc), file);
}

/** The nearest existing folder above `path` when it is not a folder (a file stands where a parent folder should); else null. */
function fileAbove(path: string): string | null {
  for (let at = dirname(path); ; at = dirname(at)) {
    const st = lstatOrNothing(at);
    if (st) return st.isDirectory() || (st.isSymbolicLink() && !linksToFile(at)) ? null : at;
    if (dirname(at) === at) return null;
  }
}

/** A link whose target is a file. A link to nothing or a loop is left to makeDirs, which says which (a drive not connected?). */
function linksToFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** lstat, or nothing when the path is missing or runs through a file (ENOTDIR: the loop goes up to that file). */
function lstatOrNothing(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Only an earlier export is replaced: a folder holding anything else (or a file) is refused, before any work. */
export function checkTfjsTarget(dir: string, peek = true): void {
  const out = resolve(dir);
  const blocker = fileAbove(out);
  // Said of the folder asked for: the first write is to its temporary sibling, a name never typed.
  if (blocker) throw new AppError('BAD_ARGUMENTS', `${out} cannot be made: ${blocker} is a file, not a folder (nothing was written).`, { path: out });
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new AppError('CONFLICT', `${out} is a file; the tfjs encoder is a folder: choose a new or empty folder.`);
  // `peek` false: the folder's contents are not read (a check asked before the user confirmed the path).
  if (peek && readdirSync(out).length > 0 && !existsSync(join(out, 'encoder.json'))) {
    throw new AppError('CONFLICT', `${out} exists and is not an earlier encoder export; choose a new or empty folder.`);
  }
}

/** Writes the encoder as tfjs layers models (one folder per member) and encoder.json. */
export async function exportTfjs(run: RunSummary, enc: EncoderWeights, dir: string): Promise<{ dir: string; members: number }> {
  const out = resolve(dir);
  const members = membersOf(enc);
  if (members.length === 0) throw new AppError('INVALID_FILE', `Run ${run.id} has no encoder weights.`);
  checkTfjsTarget(out);
  const tmp = `${out}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  makeDirs(dirname(out));
  try {
    mkdirSync(tmp);
    for (const [k, w] of members.entries()) await saveEncoder(join(tmp, `member-${k + 1}`), { weights: w }, run.options);
    const info = {
      run: run.id,
      members: members.map((_, k) => `member-${k + 1}/model.json`),
      input: `${backboneSpec(run.options.backbone).dim}-d backbone features (${run.options.backbone}, layer ${backboneSpec(run.options.backbone).featureLayer}, global average pooled)`,
      combine: 'encoding = concat over members of (m(x) / |m(x)|), times 1/sqrt(members); one member: m(x) / |m(x)|',
      preprocessing: preprocessingOf(run),
    };
    writeFileFlushed(join(tmp, 'encoder.json'), JSON.stringify(info, null, 1));
  } catch (err) {
    // A full or read-only drive leaves no half-written folder, and the message names the folder asked for.
    rmSync(tmp, { recursive: true, force: true });
    throw notWrittenFor(err, out) ?? err;
  }
  // The old export goes only once the new one is in place: deleted first, a crash in between left neither.
  const old = existsSync(out) ? `${out}.old-${process.pid}` : null;
  if (old) renameSync(out, old);
  renameSync(tmp, out);
  flushFolder(dirname(out));
  if (old) rmSync(old, { recursive: true, force: true });
  return { dir: out, members: members.length };
}
