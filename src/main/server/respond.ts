// Writing HTTP responses for browser mode: text replies and files, every one with the security
// headers. Media is labelled with the type of its decoded bytes (see media-type.ts), and served only
// when those are an image: the project store names the file, and a store edited to name any other
// file (a key, a config) must not turn /media into a way to read it.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentType, SECURITY_HEADERS } from '../host-policy/headers.js';
import { sniffImageTypeOf } from '../host-policy/media-type.js';

/** A small JSON answer that is never cached (the token check, the running proof). Sent as text/plain by sendText; the asker parses it. */
export function sendJson(res: ServerResponse, value: unknown): void {
  sendText(res, 200, JSON.stringify(value), { 'Cache-Control': 'no-store' });
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * Serves `file`; `media` files get the Content-Type of their magic bytes (404 when they are no
 * image), others that of their extension. The file is opened once and served from that handle: a file that goes away meanwhile
 * (its project folder renamed while thumbnails load) is a 404 or is served whole, never a dropped
 * connection (stat, then open by name, found it gone in between: ERR_EMPTY_RESPONSE in the page).
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string, media = false): Promise<void> {
  let fh: FileHandle | undefined;
  let info;
  let type: string;
  try {
    // Non-blocking: a FIFO put where a photo was would otherwise hold the open (and a pool thread)
    // until a writer came; opened at once, it is refused below as not a file.
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    info = await fh.stat();
    if (!info.isFile()) throw new Error('not a file');
    type = media ? await sniffImageTypeOf(fh) : contentType(file);
    if (media && !type.startsWith('image/')) throw new Error('not an image');
  } catch {
    await fh?.close().catch(() => {});
    return sendText(res, 404, 'Not found.');
  }
  const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    await fh.close().catch(() => {});
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', info.size);
  if (req.method === 'HEAD') {
    await fh.close().catch(() => {});
    res.end();
    return;
  }
  const handle = fh;
  await new Promise<void>((done) => {
    const stream = handle.createReadStream({ start: 0 }); // closes the handle when it ends or is destroyed
    stream.on('error', () => {
      res.destroy();
      done();
    });
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
}

/** The request target as a URL, or null when it cannot be parsed (e.g. `//[`). */
export function parseTarget(raw: string | undefined): URL | null {
  try {
    const url = new URL(raw ?? '/', 'http://placeholder');
    // `//host/x` parses as another host: the target must stay a path on this server.
    return url.host === 'placeholder' ? url : null;
  } catch {
    return null;
  }
}
