// URL and navigation policy of the hosts as plain functions (no `electron` import), so they are
// unit-tested under Node and shared by the Electron shell, the dispatcher and the browser-mode server. The renderer is served from
// `app://studio/`, a privileged standard+secure custom scheme: it is its own origin, never `file://`.
import { resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/`;

/** Hosts the app may open in the user's browser (help and licence links); everything else is dropped. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'www.tensorflow.org',
  'keras.io',
  'creativecommons.org',
  'www.flickr.com',
  'onnxruntime.ai',
];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is a page of our own app origin (`app://studio/...`). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** Navigation (will-navigate / will-frame-navigate) stays inside the app origin; anything else is denied. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * An IPC sender is trusted only when it is the main frame of our window showing our app origin:
 * an iframe, a page that navigated away or another window never reaches the service.
 */
export function isTrustedSender(frameUrl: string | null | undefined, isMainFrame: boolean): boolean {
  return isMainFrame === true && typeof frameUrl === 'string' && isAppUrl(frameUrl);
}

/** External links: https (or http) to an allow-listed host, no credentials, default port only. */
export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return false;
  if (u.username || u.password || u.port) return false;
  return hosts.includes(u.hostname.toLowerCase());
}

/**
 * Maps an `app://studio/...` URL to a file inside `root` (the built renderer), or null when the
 * URL is not ours or would leave `root` (`..`, encoded `%2e%2e`, backslashes, NUL bytes).
 * `/` and directories map to their index.html.
 */
export function resolveAppPath(root: string, url: string): string | null {
  const u = parse(url);
  if (!u || !isAppUrl(url)) return null;
  return resolveInside(root, u.pathname);
}

/** Resolves a URL pathname against `root`; null when it is malformed or escapes `root`. */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const base = resolve(root);
  const rel = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const full = resolve(base, `.${rel.startsWith('/') ? rel : `/${rel}`}`);
  if (full !== base && !full.startsWith(base + sep)) return null;
  return full;
}
