// Typed arrays as base64 text: compact in JSON replies (browser mode) and structured clones alike.
// btoa/atob exist in browsers and in Node ≥ 16, so the renderer and the engine share this.

/** base64 of the bytes of a typed array. */
export function typedToBase64(a: Float32Array | Int32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  // In chunks: String.fromCharCode(...big) overflows the argument stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function bytesOf(b64: string): Uint8Array {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

export const base64ToFloat32 = (b64: string): Float32Array => new Float32Array(bytesOf(b64).buffer);
export const base64ToInt32 = (b64: string): Int32Array => new Int32Array(bytesOf(b64).buffer);
