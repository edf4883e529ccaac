// The `app://studio/` protocol handler as a plain fetch-style function (Request → Response), so it
// is unit-tested under Node without Electron. Serves the built renderer (never anything outside
// it) and /media/<kind>/<id> through the service, with the CSP and security headers on every reply.
// Media is served only when it is a regular file whose bytes are an image: the project store names
// the file, and a store edited to name any other file must not make app:// read it out.
import { constants } from 'node:fs';
import { open, readFile, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { contentType, parseMediaPath, SECURITY_HEADERS } from '../host-policy/headers.js';
import { imageTypeOf } from '../host-policy/media-type.js';
import { SIGNATURE_BYTES } from '../../shared/image-signature.js';
import { isAppUrl, resolveAppPath } from '../host-policy/urls.js';

export interface AppProtocolOptions {
  /** The built renderer folder (dist/renderer). */
  root: string;
  mediaPath(kind: 'thumb' | 'image', id: number): string | null | Promise<string | null>;
}

function reply(status: number, body: ConstructorParameters<typeof Response>[0], type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': type, ...extra } });
}

export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Method not allowed.');
    if (!isAppUrl(request.url)) return reply(404, 'Not found.');
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return reply(400, 'Bad request.');
    }
    if (pathname.startsWith('/media/')) return serveMedia(opts, pathname);
    const file = resolveAppPath(opts.root, request.url);
    if (!file) return reply(404, 'Not found.');
    try {
      // Symlinks inside the renderer folder must not lead outside it either.
      const [real, realRoot] = await Promise.all([realpath(file), realpath(opts.root)]);
      if (!real.startsWith(realRoot + sep)) return reply(404, 'Not found.');
      return reply(200, new Uint8Array(await readFile(real)), contentType(real), { 'Cache-Control': 'no-cache' });
    } catch {
      return reply(404, 'Not found.');
    }
  };
}

async function serveMedia(opts: AppProtocolOptions, pathname: string): Promise<Response> {
  const media = parseMediaPath(pathname);
  if (!media) return reply(404, 'Not found.');
  try {
    const file = await opts.mediaPath(media.kind, media.id);
    const bytes = file ? await readImageFile(file) : null;
    if (!bytes) return reply(404, 'Not found.');
    // The type of the decoded bytes, not of the file name (a .png holding a JPEG is image/jpeg).
    return reply(200, bytes, imageTypeOf(bytes.subarray(0, SIGNATURE_BYTES)), { 'Cache-Control': 'private, no-cache' });
  } catch {
    return reply(404, 'Not found.');
  }
}

/**
 * The bytes of `file` when it is a regular file holding an image; null otherwise. Opened without
 * blocking (a FIFO would hold the open until a writer came) and read from that one handle.
 */
async function readImageFile(file: string): Promise<Uint8Array | null> {
  const fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await fh.stat()).isFile()) return null;
    // The head first, so a large file that is no image is not read whole (a positional read leaves the handle at 0).
    const head = new Uint8Array(SIGNATURE_BYTES);
    const { bytesRead } = await fh.read(head, 0, SIGNATURE_BYTES, 0);
    if (!imageTypeOf(head.subarray(0, bytesRead)).startsWith('image/')) return null;
    return new Uint8Array(await fh.readFile());
  } finally {
    await fh.close();
  }
}
