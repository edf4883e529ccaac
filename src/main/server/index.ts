// Browser mode: the same renderer and the same main-side code, served over HTTP + WebSocket on
// loopback. Pages, assets and /media need the read-only media cookie (set once from the start
// URL's ?token=); /ws needs the token itself in Sec-WebSocket-Protocol (see auth.ts). Requests go
// through the same validating dispatcher as Electron IPC. Every handler is total: malformed input
// gets a 4xx, a handler bug a logged 500, never a dead process.
import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { createDispatcher, type Dispatcher } from '../ipc/dispatch.js';
import { encodeReply } from '../ipc/encode.js';
import type { EventName, Events, WsServerMessage } from '../../shared/ipc.js';
import { TOKEN_FRAGMENT, WS_PROTOCOL } from '../../shared/ws-auth.js';
import { loadSession } from './session-store.js';
import { resolveInside } from '../host-policy/urls.js';
import { handshakeAuthenticated, hasMediaCookie, mediaCookie, mediaCookieName, mediaTokenFor, newToken, parseCookies, tokensEqual } from './auth.js';
import { sendNotice } from './notice-page.js';
import { listDir } from './list-dir.js';
import { listenWithMemory, type ListenPlan } from './listen.js';
import { ConnectionCap } from './connection-cap.js';
import { holdIpv6Loopback } from './loopback-twin.js';
import { RUNNING_PROOF_PATH, runningProof, tokenIdFor } from './running-proof.js';
import { parseMediaPath } from '../host-policy/headers.js';
import { parseTarget, sendFile, sendJson, sendText } from './respond.js';
import type { EmitFn, HostedService } from '../service/hosted.js';
import { DiagnosticsLog, logCrashes, redact } from '../util/diagnostics-log.js';

export type { EmitFn, HostedService } from '../service/hosted.js';
/** scripts/serve.mjs's default data folder (it runs this module's bundle, so it cannot import paths.ts). */
export { appDataDir } from '../util/paths.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServerOptions {
  /** Per-user data folder of the service (recent projects, …). */
  dataDir: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); default: the data folder's lasting token when `persistSession`, else 32 random bytes per launch. */
  token?: string;
  /**
   * Keep one token and one port per data folder (browser-session.json, mode 0600), so the printed
   * address stays the same across restarts (`npm run serve`). Without it: a new token, the given port.
   */
  persistSession?: boolean;
  /** With persistSession: replace the stored token (`--new-token`); older addresses stop working. */
  newToken?: boolean;
  /** Built renderer (default: <repo>/dist/renderer). */
  staticDir?: string;
  /** Must be set explicitly to listen on a non-loopback address; the token is still required. */
  allowRemote?: boolean;
  /** Largest reply frame in characters (default MAX_REPLY_CHARS, 64 MB; tests lower it). */
  maxReplyChars?: number;
  /**
   * Also log an uncaught exception (and the start and stop) to the diagnostics log, <data>/logs/
   * (`npm run serve`; tests leave the process's handlers alone). Request failures are logged always.
   */
  crashLog?: boolean;
  /** Time to send a request's headers (default HEADERS_TIMEOUT_MS; tests shorten it). */
  headersTimeoutMs?: number;
  /** Time to send a whole request (default REQUEST_TIMEOUT_MS; tests shorten it). */
  requestTimeoutMs?: number;
  /** Open connections at most (default MAX_CONNECTIONS; tests lower it). */
  maxConnections?: number;
  /** Builds the service; default: StudioService from src/main/project/service.ts. */
  createService?: (opts: { dataDir: string; emit: EmitFn }) => HostedService | Promise<HostedService>;
}

export interface RunningServer {
  /** Start URL, with `?token=` (opened once: the server trades it for the media cookie and a clean URL). */
  url: string;
  /** Origin without the token. */
  origin: string;
  host: string;
  port: number;
  token: string;
  /** Read-only credential of the `ts_media_<port>` cookie (pages, assets, media). */
  mediaToken: string;
  /** What the user should be told at start (a taken port, a rotated or repaired token). */
  notices: string[];
  server: Server;
  service: HostedService;
  close(): Promise<void>;
}

/**
 * A connection that never finishes its headers holds a socket and a file descriptor: 1100 of them
 * locked browser mode out under `ulimit -n 1024`. Such connections are closed (408) after this.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Time to send a whole request: HTTP requests are GETs without a body (uploads go in chunks over the WebSocket, which these timers do not cover). */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Open connections at most (a tab uses a few, plus its WebSocket), so a flood cannot use up the
 * descriptors; over it, the longest idle connection makes way (connection-cap.ts).
 */
export const MAX_CONNECTIONS = 256;

/** Largest inbound WebSocket frame: requests are small JSON objects (ws closes bigger ones with 1009). */
export const MAX_WS_MESSAGE = 1024 * 1024;

/** 127.0.0.0/8, ::1 and `localhost` only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

async function defaultService(opts: { dataDir: string; emit: EmitFn }): Promise<HostedService> {
  // The same service entry as the service process runs, here in-process (see README: browser mode).
  const { createStudioService } = await import('../service/create.js');
  return createStudioService(opts);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new Error(
      `Refusing to listen on ${host}: browser mode gives access to your projects and files, so it only listens on ` +
        `this machine (127.0.0.1) unless remote access is requested explicitly (allowRemote / --allow-remote).`,
    );
  }
  const plan: ListenPlan = listenPlan(options);
  // Replaced once listening when the server had to move off its remembered port (listen.ts).
  let token = options.token ?? plan.token ?? newToken();
  const staticRoot = resolve(options.staticDir ?? resolve(REPO_ROOT, 'dist', 'renderer'));
  const sockets = new Set<WebSocket>();

  const emit: EmitFn = <E extends EventName>(name: E, payload: Events[E]) => {
    const msg: WsServerMessage = { t: 'evt', name, payload };
    const text = JSON.stringify(msg);
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  const service = await (options.createService ?? defaultService)({ dataDir: options.dataDir, emit });
  // Browser mode has no native dialogs: the UI asks for a typed path when these return null.
  // Instead, a folder browser served from here (list-dir.ts); the pick itself still goes through pickFolder/pickFile.
  // Unexpected failures leave their stacks in the diagnostics log; the reply names the file.
  const log = new DiagnosticsLog(options.dataDir, 'browser mode');
  const logFailure = (what: string, err: unknown) => logServerFailure(log, what, err);
  const dispatcher = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null, listDir }, log);

  const server = createServer(connectionLimits(options));
  const cap = new ConnectionCap(options.maxConnections ?? MAX_CONNECTIONS);
  cap.attach(server);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE, handleProtocols: () => WS_PROTOCOL });
  let mediaToken = mediaTokenFor(token);
  let allowedHosts = new Set<string>();
  let port = 0;

  const hostAllowed = (req: IncomingMessage): boolean => options.allowRemote === true || allowedHosts.has(String(req.headers.host ?? '').toLowerCase());

  // Last resort: whatever a handler throws answers 500 (or drops the connection) and is logged;
  // the process, and the jobs it runs, live on.
  server.on('request', (req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      logFailure(`${req.method} ${String(req.url).slice(0, 200)}`, err);
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  // Unparsable HTTP (bad request line, oversized headers, …): 400 and close, as Node does by default.
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseTarget(req.url);
    if (!url) return sendText(res, 400, 'Bad request: the request target is not a path on this server.');
    if (!hostAllowed(req)) return sendText(res, 403, 'Forbidden: unexpected Host header.');
    if (url.searchParams.has('token')) return tradeToken(req, res, url);
    if (url.pathname === RUNNING_PROOF_PATH) return proveRunning(res, url);
    if (!hasMediaCookie(req, port, mediaToken)) return refuseUnauthorized(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    if (url.pathname === '/ws') return sendText(res, 426, 'WebSocket upgrade required.');
    if (url.pathname.startsWith('/media/')) return serveMedia(req, res, url.pathname);
    return serveStatic(req, res, url.pathname);
  }

  /**
   * `/?token=…` (the printed start URL): sets the read-only, port-specific media cookie and
   * redirects to `/` (other query parameters kept) with the token in the fragment, which the page moves into
   * sessionStorage and removes from the address. A token on anything but a page is refused.
   */
  function tradeToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!tokensEqual(url.searchParams.get('token'), token)) {
      return isPage(url.pathname) ? sendNotice(res, 'out-of-date') : sendText(res, 401, 'Unauthorized: wrong or expired token.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    if (!isPage(url.pathname)) return sendText(res, 400, 'Bad request: a token does not belong in this address; open the start page instead.');
    url.searchParams.delete('token');
    // Always to `/`: the request's own path could make a protocol-relative address (`/.//evil.example/`
    // → `//evil.example/`), which would send the token to another site.
    const location = `/${url.search}#${TOKEN_FRAGMENT}=${encodeURIComponent(token)}`;
    return sendText(res, 302, 'Redirecting.', { 'Set-Cookie': mediaCookie(port, mediaToken), Location: location, 'Cache-Control': 'no-store' });
  }

  /**
   * A request without this server's cookie: a page gets a readable notice (an old cookie of this
   * port means an out-of-date address; none, that the tab needs the printed address), anything
   * else a short 401.
   */
  function refuseUnauthorized(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!isPage(url.pathname) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return sendText(res, 401, 'Unauthorized: open the address printed by `npm run serve` (it carries ?token=…).');
    }
    const stale = parseCookies(req.headers.cookie).has(mediaCookieName(port));
    return sendNotice(res, stale ? 'out-of-date' : 'no-token');
  }

  /**
   * `GET /auth/running?nonce=<64 hex>`: {"proof": HMAC(token, port and nonce), "tokenId"}. A tab asks
   * before it sends its token (another program may hold the port now), and a second start on this
   * data folder before it says "already runs"; the token id tells a tab its token was replaced.
   */
  function proveRunning(res: ServerResponse, url: URL): void {
    const proof = runningProof(token, port, url.searchParams.get('nonce') ?? '');
    if (!proof) return sendText(res, 400, 'Bad request: expected ?nonce= and 64 hex digits.');
    return sendJson(res, { proof, tokenId: tokenIdFor(token) });
  }

  async function serveMedia(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const media = parseMediaPath(pathname);
    if (!media) return sendText(res, 404, 'Not found.');
    let file: string | null;
    try {
      file = await service.mediaPath(media.kind, media.id);
    } catch {
      file = null; // e.g. no project open
    }
    if (!file) return sendText(res, 404, 'Not found.');
    return sendFile(req, res, file, 'private, no-cache', true);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = resolveInside(staticRoot, pathname);
    if (!file) return sendText(res, 404, 'Not found.');
    // Symlinks inside dist/renderer must not lead outside it either.
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      return sendText(res, 404, pathname === '/' ? `Not found: the renderer is not built (${staticRoot}).` : 'Not found.');
    }
    const realRoot = await realpath(staticRoot).catch(() => staticRoot);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return sendText(res, 404, 'Not found.');
    return sendFile(req, res, real, real.endsWith('.html') ? 'no-store' : 'no-cache');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // The socket is ours from here: a reset must not become an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    try {
      handleUpgrade(req, socket, head);
    } catch (err) {
      logFailure(`upgrade ${String(req.url).slice(0, 200)}`, err);
      refuse(socket, 500, 'Internal Server Error');
    }
  });

  /** The token must come in Sec-WebSocket-Protocol: a cookie alone (which any port receives) is refused. */
  function handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = parseTarget(req.url);
    if (!url) return refuse(socket, 400, 'Bad Request');
    if (!hostAllowed(req)) return refuse(socket, 403, 'Forbidden');
    if (!handshakeAuthenticated(req, token)) return refuse(socket, 401, 'Unauthorized');
    if (url.pathname !== '/ws') return refuse(socket, 404, 'Not Found');
    // Cross-site WebSocket hijacking: browsers always send Origin; it must be this very server.
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || origin.toLowerCase() !== `http://${String(req.headers.host ?? '').toLowerCase()}`) return refuse(socket, 403, 'Forbidden');
    if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => {
      cap.accepted(socket);
      onSocket(ws, dispatcher);
    });
  }

  function onSocket(ws: WebSocket, d: Dispatcher): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws)); // e.g. a frame over maxPayload (ws closes with 1009)
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        onFrame(ws, d, data, isBinary);
      } catch (err) {
        logFailure('a WebSocket frame', err);
        ws.terminate();
      }
    });
  }

  /** One inbound frame: a well-formed request is dispatched; anything else closes with 1007. */
  function onFrame(ws: WebSocket, d: Dispatcher, data: RawData, isBinary: boolean): void {
    const msg = isBinary ? null : parseClientMessage(data);
    if (!msg) {
      ws.close(1007, 'Expected {"t":"req","id":number,"name":string,"args":…}');
      return;
    }
    void d
      .dispatch(msg.name, msg.args, { transport: 'socket', authenticated: true })
      .then((reply) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(encodeReply(msg.id, msg.name.slice(0, 100), reply, options.maxReplyChars, log));
      })
      .catch((err: unknown) => logFailure(`reply to ${msg.name.slice(0, 100)}`, err));
  }

  const notices = [...plan.notices];
  const listening = await listenWithMemory(server, host, plan, notices);
  port = listening.port;
  if (listening.newToken && !options.token) {
    token = listening.newToken;
    mediaToken = mediaTokenFor(token);
  }
  const twin = host === '127.0.0.1' ? await holdIpv6Loopback(server, port, connectionLimits(options), notices, cap) : null;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${urlHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
  const origin = `http://${urlHost}:${port}`;
  const stopCrashLog = options.crashLog ? logCrashes(log) : () => {};
  if (options.crashLog) log.info(`started at ${origin} (Node ${process.version}, ${process.platform} ${process.arch})`);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await Promise.all(
        [server, twin].map(
          (s) =>
            new Promise<void>((r) => {
              if (!s) return r();
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
      await service.dispose?.();
      stopCrashLog();
      if (options.crashLog) log.info('stopped');
    })();
    return closing;
  };

  return { url: `${origin}/?token=${encodeURIComponent(token)}`, origin, host, port, token, mediaToken, notices, server, service, close };
}

/** Where to listen and with which token: the data folder's lasting session, or this launch's. */
function listenPlan(options: ServerOptions): ListenPlan {
  const explicit = options.port !== undefined && options.port !== 0 ? options.port : null;
  if (!options.persistSession) return { token: null, explicitPort: options.port ?? 0, rememberedPort: null, dataDir: null, notices: [] };
  const session = loadSession(options.dataDir, { rotate: options.newToken === true });
  return { token: session.token, explicitPort: explicit, rememberedPort: session.port, dataDir: options.dataDir, notices: session.notices };
}

/** Node's request timers; its expiry check runs every `connectionsCheckingInterval` (default 30 s), so that is shortened too. */
function connectionLimits(options: ServerOptions): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout); // Node requires headers ≤ request
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) };
}

function isPage(pathname: string): boolean {
  return pathname.endsWith('/') || pathname.endsWith('.html');
}

/** Answers a refused upgrade on the raw socket and closes it. */
/** Answers a refused upgrade and closes the socket for good (a client that never closes its side would otherwise hold it). */
function refuse(socket: Socket, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  else socket.destroy();
}

/** Logs a handler failure on stderr and in the diagnostics log (the request got its 500; the server keeps running). */
function logServerFailure(log: DiagnosticsLog, what: string, err: unknown): void {
  console.error(`Triplet Studio server: ${redact(what)} failed:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
  log.error(`${what} failed`, err);
}

/** Shape check of a client frame; the dispatcher validates name and args. */
export function parseClientMessage(data: RawData): { id: number; name: string; args: unknown } | null {
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const m = value as Record<string, unknown>;
  if (m.t !== 'req' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || typeof m.name !== 'string') return null;
  return { id: m.id, name: m.name, args: m.args };
}
