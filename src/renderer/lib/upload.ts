// Sends a file the user dropped (or chose in the browser's own file chooser) to the main side in
// order, 512 KiB per request, and resolves with the path it was kept at inside the project.
import { call } from './api.js';

export const CHUNK_BYTES = 512 * 1024;

/** Base64 of bytes, built in slices (String.fromCharCode on a whole chunk overflows the stack). */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export async function uploadFile(file: File, onProgress: (done: number, total: number) => void = () => {}): Promise<string> {
  let id: string | undefined;
  let offset = 0;
  do {
    const slice = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    const done = offset + slice.length >= file.size;
    const r = await call('receiveFile', { ...(id ? { id } : {}), name: file.name, offset, data: toBase64(slice), done });
    id = r.id;
    offset = r.received;
    onProgress(offset, file.size);
    if (done) return r.path!;
  } while (offset < file.size || file.size === 0);
  throw new Error('unreachable');
}
