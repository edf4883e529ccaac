// Browser mode: the same renderer and the same main-side code, served over HTTP + WebSocket on
// loopback. Every route (pages, assets, /media, /ws) needs the per-launch token; requests go
// through the same validating dispatcher as Electron IPC.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { createDispatcher, type Dispatcher } from '../ipc/dispatch.js';
import type { EventName, Events, WsServerMessage } from '../../shared/ipc.js';
import { resolveInside } from '../electron/policy.js';
import { authenticate, newToken, sessionCookie } from './auth.js';
import { contentType, parseMediaPath, SECURITY_HEADERS } from './headers.js';
import type { EmitFn, HostedService } from './service-host.js';

export type { EmitFn, HostedService } from './service-host.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServerOptions {
  /** Per-user data folder of the service (recent projects, …). */
  dataDir: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); default: 32 random bytes per launch. */
  token?: string;
  /** Built renderer (default: <repo>/dist/renderer). */
  staticDir?: string;
  /** Must be set explicitly to listen on a non-loopback address; the token is still required. */
  allowRemote?: boolean;
  /** Builds the service; default: StudioService from src/main/project/service.ts. */
  createService?: (opts: { dataDir: string; emit: EmitFn }) => HostedService | Promise<HostedService>;
}

export interface RunningServer {
  /** Start URL, with `?token=`. */
  url: string;
  /** Origin without the token. */
  origin: string;
  host: string;
  port: number;
  token: string;
  server: Server;
  service: HostedService;
  close(): Promise<void>;
}

const MAX_WS_MESSAGE = 4 * 1024 * 1024;

/** 127.0.0.0/8, ::1 and `localhost` only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

async function defaultService(opts: { dataDir: string; emit: EmitFn }): Promise<HostedService> {
  const { StudioService } = await import('../project/service.js');
  return new StudioService(opts) as unknown as HostedService;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new Error(
      `Refusing to listen on ${host}: browser mode gives access to your projects and files, so it only listens on ` +
        `this machine (127.0.0.1) unless remote access is requested explicitly (allowRemote / --allow-remote).`,
    );
  }
  const token = options.token ?? newToken();
  const staticRoot = resolve(options.staticDir ?? resolve(REPO_ROOT, 'dist', 'renderer'));
  const sockets = new Set<WebSocket>();

  const emit: EmitFn = <E extends EventName>(name: E, payload: Events[E]) => {
    const msg: WsServerMessage = { t: 'evt', name, payload };
    const text = JSON.stringify(msg);
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  const service = await (options.createService ?? defaultService)({ dataDir: options.dataDir, emit });
  // Browser mode has no native dialogs: the UI asks for a typed path when these return null.
  const dispatcher = createDispatcher(service, { pickFolder: async () => null, pickFile: async () => null });

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
  let allowedHosts = new Set<string>();

  const hostAllowed = (req: IncomingMessage): boolean => options.allowRemote === true || allowedHosts.has((req.headers.host ?? '').toLowerCase());

  server.on('request', (req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostAllowed(req)) return sendText(res, 403, 'Forbidden: unexpected Host header.');
    const auth = authenticate(req, url, token);
    if (!auth.ok) return sendText(res, 401, 'Unauthorized: open the address printed by `npm run serve` (it carries ?token=…).');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    if (auth.via === 'query' && isPage(url.pathname)) {
      // Trade the token in the address bar for an HttpOnly cookie, then drop it from the URL.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', sessionCookie(token));
      res.setHeader('Location', url.pathname + url.search);
      res.setHeader('Cache-Control', 'no-store');
      return sendText(res, 302, 'Redirecting.');
    }
    if (url.pathname === '/ws') return sendText(res, 426, 'WebSocket upgrade required.');
    if (url.pathname.startsWith('/media/')) return serveMedia(req, res, url.pathname);
    return serveStatic(req, res, url.pathname);
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
    return sendFile(req, res, file, 'private, no-cache');
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
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(req)) return refuse(403, 'Forbidden');
    if (!authenticate(req, url, token).ok) return refuse(401, 'Unauthorized');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    // Cross-site WebSocket hijacking: browsers always send Origin; it must be this very server.
    const origin = req.headers.origin;
    if (!origin || origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, dispatcher));
  });

  function onSocket(ws: WebSocket, d: Dispatcher): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const msg = isBinary ? null : parseClientMessage(data);
      if (!msg) {
        ws.close(1007, 'Expected {"t":"req","id":number,"name":string,"args":…}');
        return;
      }
      void d.dispatch(msg.name, msg.args, { transport: 'socket', authenticated: true }).then((reply) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        const out: WsServerMessage = { t: 'res', id: msg.id, reply };
        ws.send(safeStringify(out, msg.id));
      });
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${urlHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
  const origin = `http://${urlHost}:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await service.dispose?.();
    })();
    return closing;
  };

  return { url: `${origin}/?token=${encodeURIComponent(token)}`, origin, host, port, token, server, service, close };
}

function isPage(pathname: string): boolean {
  return pathname.endsWith('/') || pathname.endsWith('.html');
}

function sendText(res: ServerResponse, status: number, text: string): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return sendText(res, 404, 'Not found.');
  }
  if (!info.isFile()) return sendText(res, 404, 'Not found.');
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
  res.setHeader('Content-Type', contentType(file));
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

/** A reply that cannot be serialised (a bug, e.g. a BigInt) still answers its request. */
function safeStringify(msg: WsServerMessage, id: number): string {
  try {
    return JSON.stringify(msg);
  } catch (err) {
    const fallback: WsServerMessage = {
      t: 'res',
      id,
      reply: { ok: false, error: { code: 'INTERNAL', message: `Reply could not be encoded: ${err instanceof Error ? err.message : String(err)}` } },
    };
    return JSON.stringify(fallback);
  }
}
