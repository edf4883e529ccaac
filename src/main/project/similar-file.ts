// Backbone features of one image file from outside the project, computed exactly as the project's
// (same backbone, weights and preprocessing: extractFeatures with the feature key's prep), and never
// stored. Bytes (a file dropped on the browser-mode page) are size-capped, checked to be an image by
// their first bytes, written to a private temporary file for the decoder, and removed afterwards.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { imageFormatOf, SIGNATURE_BYTES } from '../../shared/image-signature.js';
import { SIMILAR_MAX_BYTES } from '../../shared/types.js';
import { decodeFailureText } from '../images/decode.js';
import { BMP_TEXT, importable, readHead } from '../images/sniff.js';
import { extractFeatures } from '../ml/index.js';
import type { FeatureKey } from './features.js';

/** Largest dropped file accepted as bytes (the browser-mode socket carries at most 1 MB per message, base64). */
export const MAX_QUERY_BYTES = SIMILAR_MAX_BYTES;

const NOT_AN_IMAGE = 'is not an image (JPEG, PNG, GIF, WebP, TIFF or HEIF expected).';

/** The end of the refusal of a query file: BMP is named as such. */
const notAnImage = (head: Uint8Array): string => (imageFormatOf(head) === 'bmp' ? `is ${BMP_TEXT}.` : NOT_AN_IMAGE);

/** Refuses bytes that are too large or not an image, naming what was given. */
export function checkQueryBytes(bytes: Uint8Array, label = 'the dropped file'): void {
  if (bytes.length === 0) throw new AppError('INVALID_FILE', `${label} is empty.`);
  if (bytes.length > MAX_QUERY_BYTES) {
    throw new AppError('TOO_LARGE', `${label} is ${(bytes.length / 1024).toFixed(0)} KB; at most ${MAX_QUERY_BYTES / 1024} KB can be sent (choose the file by its path instead).`);
  }
  if (!importable(bytes.subarray(0, SIGNATURE_BYTES))) throw new AppError('INVALID_FILE', `${label} ${notAnImage(bytes.subarray(0, SIGNATURE_BYTES))}`);
}

/** Features of one file (path or bytes) under `key`; INVALID_FILE when it cannot be decoded. */
export async function featuresOfFile(key: FeatureKey, query: { file: string } | { bytes: Uint8Array; label?: string }, signal?: AbortSignal): Promise<Float32Array> {
  if ('file' in query) {
    const path = resolve(query.file);
    if (!existsSync(path) || !statSync(path).isFile()) throw new AppError('NOT_FOUND', `${path}: no such image file.`);
    // By its first bytes, as the import does: a video is refused without being decoded whole.
    const head = await readHead(path);
    if (!importable(head)) throw new AppError('INVALID_FILE', `${path} ${notAnImage(head)}`);
    return extractOne(key, path, path, signal);
  }
  checkQueryBytes(query.bytes, query.label);
  const dir = await mkdtemp(join(tmpdir(), 'triplet-studio-query-'));
  try {
    const path = join(dir, 'query');
    await writeFile(path, query.bytes, { mode: 0o600 });
    return await extractOne(key, path, query.label ?? 'the dropped file', signal);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function extractOne(key: FeatureKey, path: string, label: string, signal?: AbortSignal): Promise<Float32Array> {
  let out: Float32Array | null = null;
  let error: Error | null = null;
  await extractFeatures({
    backbone: key.backbone,
    images: [{ id: 1, path }],
    prep: key.prep,
    workers: 1,
    signal,
    onBatch: (rows) => void (out = new Float32Array(rows[0].features)),
    onImageError: (_id, _p, err) => void (error = err),
  });
  if (!out) throw new AppError('INVALID_FILE', `${label} cannot be read as an image: ${error ? decodeFailureText((error as Error).message.replace(`${path}: `, '')) : 'no features'}.`);
  return out;
}
