// Per-launch token authentication for browser mode. Any local process or web page can reach a
// loopback port; only someone who saw the printed URL (or holds the HttpOnly cookie) gets in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'ts_token';

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
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
  if (!header) return out;
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

export type AuthResult = { ok: false } | { ok: true; via: 'query' | 'cookie' };

/** Accepts the token from `?token=` or the `ts_token` cookie. */
export function authenticate(req: IncomingMessage, url: URL, token: string): AuthResult {
  if (tokensEqual(url.searchParams.get('token'), token)) return { ok: true, via: 'query' };
  if (tokensEqual(parseCookies(req.headers.cookie).get(COOKIE_NAME), token)) return { ok: true, via: 'cookie' };
  return { ok: false };
}

export function sessionCookie(token: string): string {
  return `${COOKIE_NAME}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
