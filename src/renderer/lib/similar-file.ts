// A file dropped on a "Try an image" panel, made into a `similar` query: its bytes as base64 when
// they fit the 700 KB the browser-mode socket can carry; a larger photo is first re-encoded here as a
// JPEG of at most 1024 px a side (the backbone sees 224 × 224 anyway), and the panel says so —
// choosing the file by path instead sends no bytes and uses the file exactly.
import { SIMILAR_MAX_BYTES } from '../../shared/types.js';

export interface OutsideQuery {
  arg: { kind: 'file'; path: string } | { kind: 'bytes'; base64: string; name?: string };
  label: string;
  /** An object URL showing the dropped image (null for a path). */
  preview: string | null;
  /** Said under the query (e.g. that it was resized before sending). */
  note: string | null;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

/** Re-encodes an image as JPEG, shrinking until it fits `max` bytes. */
async function shrink(file: Blob, max: number): Promise<{ blob: Blob; width: number; height: number }> {
  const bitmap = await createImageBitmap(file);
  let side = 1024;
  try {
    for (;;) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      if (blob.size <= max || side <= 256) return { blob, width, height };
      side = Math.round(side * 0.75);
    }
  } finally {
    bitmap.close();
  }
}

/** The query for a dropped file; refuses what is not an image. */
export async function fileQuery(file: File): Promise<OutsideQuery> {
  if (file.type && !file.type.startsWith('image/')) throw new Error(`${file.name} is not an image (${file.type}).`);
  const preview = URL.createObjectURL(file);
  if (file.size <= SIMILAR_MAX_BYTES) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { arg: { kind: 'bytes', base64: toBase64(bytes), name: file.name }, label: file.name, preview, note: null };
  }
  const small = await shrink(file, SIMILAR_MAX_BYTES);
  const bytes = new Uint8Array(await small.blob.arrayBuffer());
  const note = `Resized to ${small.width} × ${small.height} before sending (the file is over ${SIMILAR_MAX_BYTES / 1024} KB); choose it with “Choose an image…” for exact features.`;
  return { arg: { kind: 'bytes', base64: toBase64(bytes), name: file.name }, label: file.name, preview, note };
}
