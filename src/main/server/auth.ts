// Per-launch token authentication for browser mode. Any local process or web page can reach a
// loopback port, and browsers send 127.0.0.1 cookies to every port, so there are two credentials:
// - the token (full access): in the start URL once, then only in the WebSocket handshake's
//   Sec-WebSocket-Protocol header, read by the page from sessionStorage;
// - a media token (read-only GETs of pages, assets and /media): an HttpOnly cookie whose name
//   carries the port, derived one-way from the token so it cannot be turned back into it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/ws-auth.js';

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The read-only media credential for `token` (HMAC, so knowing it reveals nothing of the token). */
export function mediaTokenFor(token: string): string {
  return createHmac('sha256', token).update('triplet-studio media v1').digest('base64url');
}

/** Port-specific, so a second instance on another port never overwrites the first one's cookie. */
export function mediaCookieName(port: number): string {
  return `ts_media_${port}`;
}

export function mediaCookie(port: number, mediaToken: string): string {
  return `${mediaCookieName(port)}=${mediaToken}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Constant-time comparison; hashing first makes the lengths equal so nothing leaks through them. */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof header !== 'string') return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      if (!out.has(name)) out.set(name, decodeURIComponent(raw));
    } catch {
      // A malformed cookie is ignored, not fatal.
    }
  }
  return out;
}

/** Whether the request carries this server's media cookie (read-only access). */
export function hasMediaCookie(req: IncomingMessage, port: number, mediaToken: string): boolean {
  return tokensEqual(parseCookies(req.headers.cookie).get(mediaCookieName(port)), mediaToken);
}

/** The subprotocols a client offered (`a, b` → ['a', 'b']); repeated headers are joined. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Whether a WebSocket handshake carries the token in Sec-WebSocket-Protocol (cookies do not count). */
export function handshakeAuthenticated(req: IncomingMessage, token: string): boolean {
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  if (!offered.includes(WS_PROTOCOL)) return false;
  return offered.some((p) => p.startsWith(WS_TOKEN_PREFIX) && tokensEqual(p.slice(WS_TOKEN_PREFIX.length), token));
}

/** The subprotocol list a client sends (tests and the renderer). */
export function clientProtocols(token: string): string[] {
  return [WS_PROTOCOL, WS_TOKEN_PREFIX + token];
}
