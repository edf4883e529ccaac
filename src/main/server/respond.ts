// Writing HTTP responses for browser mode: text replies and files, every one with the security
// headers. Media is labelled with the type of its decoded bytes (see sniff.ts).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentType, SECURITY_HEADERS } from '../host-policy/headers.js';
import { sniffImageType } from '../host-policy/media-type.js';

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

/** Serves `file`; `media` files get the Content-Type of their magic bytes, others that of their extension. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string, media = false): Promise<void> {
  let info;
  let type: string;
  try {
    info = await stat(file);
    if (!info.isFile()) return sendText(res, 404, 'Not found.');
    type = media ? await sniffImageType(file) : contentType(file);
  } catch {
    return sendText(res, 404, 'Not found.');
  }
  const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', info.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file);
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
