// Image → float32 input for a backbone, matching the research pipeline (Keras load_img + preprocess_input).
//
// Two resizes are offered (a preprocessing option per backbone, recorded with every run and part of
// the feature-cache key through prepVersion):
//  - 'nearest': exactly Keras's load_img(path, target_size=(224, 224)), i.e. PIL's
//    Image.resize(size, Image.NEAREST) on the RGB-converted image (squash, no aspect kept);
//  - 'antialias': sharp's bilinear kernel ('linear'), which aliases less on large photos.
// EXIF orientation is ignored by default (PIL in load_img ignores it); `exif: true` uses the upright image.
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import type { BackboneSpec, Preprocessing } from '../backbone/registry.js';

// BGR order, as Keras' caffe-mode preprocess_input subtracts them after the RGB→BGR swap.
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

export type ResizeMode = 'nearest' | 'antialias';

/** How an image file becomes size×size RGB before the backbone's value preprocessing. */
export interface ImagePrep {
  resize: ResizeMode;
  /** Apply the EXIF orientation (sharp .rotate()) before resizing. */
  exif: boolean;
}

/**
 * The version string of a preprocessing, stored in the feature-cache key and with each run. Bump
 * the -vN suffix whenever the pixels a mode produces change, so cached features are recomputed.
 */
export function prepVersion(p: ImagePrep): string {
  return (p.resize === 'nearest' ? 'keras-nearest-v1' : 'antialias-v1') + (p.exif ? '+exif' : '');
}

/**
 * PIL's source index for each output index of a NEAREST resize (libImaging/Geometry.c,
 * ImagingScaleAffine): the position starts at scale/2 and is advanced by adding `scale` in double
 * precision, then truncated. The accumulation matters: for 8 → 7 pixels output 3 takes source 3,
 * not floor(3.5 · 8/7) = 4 (checked against Pillow 9.4).
 */
export function pilNearestIndices(inSize: number, outSize: number): Int32Array {
  const scale = inSize / outSize;
  const idx = new Int32Array(outSize);
  let pos = 0 + scale * 0.5;
  for (let x = 0; x < outSize; x++) {
    idx[x] = Math.min(inSize - 1, Math.max(0, Math.trunc(pos)));
    pos += scale;
  }
  return idx;
}

/** Nearest-neighbour resize of packed RGB (PIL's mapping); returns a new buffer. */
export function resizeNearestRgb(src: Uint8Array, width: number, height: number, outW: number, outH: number): Uint8Array {
  const xs = pilNearestIndices(width, outW);
  const ys = pilNearestIndices(height, outH);
  const out = new Uint8Array(outW * outH * 3);
  let o = 0;
  for (let y = 0; y < outH; y++) {
    const row = ys[y] * width * 3;
    for (let x = 0; x < outW; x++) {
      const s = row + xs[x] * 3;
      out[o++] = src[s];
      out[o++] = src[s + 1];
      out[o++] = src[s + 2];
    }
  }
  return out;
}

const ANTIALIAS: ImagePrep = { resize: 'antialias', exif: false };

/**
 * Decoded RGB pixels without alpha, optionally upright (sharp's .rotate() reads EXIF). `raw`: the
 * file's own values, as PIL gives them (no embedded ICC profile applied); otherwise the profile is
 * converted to sRGB, as the antialiased mode always did.
 */
function decoder(path: string, exif: boolean, raw = false): Sharp {
  const img = sharp(path, { failOn: 'error', ignoreIcc: raw });
  if (exif) img.rotate();
  return img.removeAlpha().toColourspace('srgb');
}

function checkShape(info: OutputInfo, data: Buffer, w: number, h: number): Uint8Array {
  if (info.channels !== 3 || data.length !== w * h * 3) {
    throw new Error(`unexpected decoded shape ${info.width}×${info.height}×${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Decodes and resizes to size×size RGB, aspect not kept (Keras load_img(target_size=…)). */
export async function decodeRgb(path: string, size: number, prep: ImagePrep = ANTIALIAS): Promise<Uint8Array> {
  if (prep.resize === 'nearest') {
    const { data, info } = await decoder(path, prep.exif, true).raw().toBuffer({ resolveWithObject: true });
    const rgb = checkShape(info, data, info.width, info.height);
    if (info.width === size && info.height === size) return rgb; // PIL copies when the size already matches
    return resizeNearestRgb(rgb, info.width, info.height, size, size);
  }
  const { data, info } = await decoder(path, prep.exif)
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return checkShape(info, data, size, size);
}

/** Writes the preprocessed pixels of one image into `out` at `offset` (HWC, 3 channels). */
export function applyPreprocessing(rgb: Uint8Array, mode: Preprocessing, out: Float32Array, offset: number): void {
  const n = rgb.length;
  if (mode === 'tf') {
    for (let i = 0; i < n; i++) out[offset + i] = rgb[i] / 127.5 - 1;
    return;
  }
  const [mb, mg, mr] = CAFFE_MEAN_BGR;
  for (let i = 0; i < n; i += 3) {
    out[offset + i] = rgb[i + 2] - mb;
    out[offset + i + 1] = rgb[i + 1] - mg;
    out[offset + i + 2] = rgb[i] - mr;
  }
}

/** Decodes and preprocesses one image into a fresh array (convenience for single images). */
export async function preprocessImage(path: string, spec: BackboneSpec, prep: ImagePrep = ANTIALIAS): Promise<Float32Array> {
  const rgb = await decodeRgb(path, spec.inputSize, prep);
  const out = new Float32Array(rgb.length);
  applyPreprocessing(rgb, spec.preprocessing, out, 0);
  return out;
}
