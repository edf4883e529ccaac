// The renderer's one way to reach the main side: `window.tripletStudio` in Electron (preload),
// otherwise a WebSocket client to /ws that implements the same `StudioApi`. Both reject with
// an `ApiError` carrying the main side's error code and a message a user can read.
import type {
  ErrorCode,
  EventName,
  Events,
  IpcError,
  Replies,
  RequestArgs,
  RequestName,
  StudioApi,
  WsClientMessage,
  WsServerMessage,
} from '../../shared/ipc.js';
import { TOKEN_FRAGMENT, TOKEN_STORAGE_KEY, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/ws-auth.js';
import { proveServer, type ServerProof } from './server-proof.js';

export class ApiError extends Error {
  readonly code: ErrorCode | 'DISCONNECTED';
  readonly details?: unknown;
  constructor(code: ErrorCode | 'DISCONNECTED', message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

/** Turns anything a request threw into an ApiError (Electron's preload may throw plain objects). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as IpcError;
    return new ApiError(e.code, e.message, e.details);
  }
  return new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
}

type Listener = (payload: unknown) => void;
type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void; name: RequestName };

/**
 * 'signed-out': browser mode without the token (a new tab on the bare address): nothing can connect.
 * 'closed': the connection dropped, reconnecting; 'offline': no server proves it holds this tab's
 * token (stopped or restarting, or another program holds the port now), still reconnecting;
 * 'out-of-date': the server answers with another token (replaced with --new-token): reconnecting stops.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'offline' | 'out-of-date' | 'signed-out';

export const SIGNED_OUT_MESSAGE = 'Not signed in: open the address printed by `npm run serve` (it carries ?token=…) in this tab.';
export const OUT_OF_DATE_MESSAGE =
  'This address is out of date — open the address printed by `npm run serve` (or run `npm run serve -- --new-token` to make a new one).';
export const OFFLINE_MESSAGE =
  'The Triplet Studio server is not running (it stopped or is restarting). Start it again with `npm run serve`; this tab reconnects by itself.';

/** WebSocket transport: request/response by id, events fanned out to listeners, reconnect with backoff. */
export class WsTransport {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Map<EventName, Set<Listener>>();
  private queue: WsClientMessage[] = [];
  private backoff = 250;
  private stopped = false;
  state: ConnectionState = 'connecting';
  onState: (s: ConnectionState) => void = () => {};

  /** Set once the socket has opened: a later open is a reconnect (views reload, jobs reattach). */
  private everOpen = false;
  /** Called after each reconnect (not the first open). */
  onReconnect: () => void = () => {};

  constructor(
    private readonly url: string,
    private readonly protocols: string[] = [],
    signedIn = true,
    /** Asks the server to prove it holds this tab's token, before each attempt sends it (server-proof.ts). */
    private readonly proveServer: () => Promise<ServerProof> = async () => 'proven',
  ) {
    if (signedIn) this.connect();
    else this.setState('signed-out');
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.onState(s);
  }

  /** Every (re)connect proves the server first: the port may now be held by another program. */
  private connect(): void {
    this.setState('connecting');
    void this.proveServer().then((found) => {
      if (this.stopped || this.ws) return;
      if (found === 'other-token') return this.stop('out-of-date', OUT_OF_DATE_MESSAGE);
      if (found === 'proven') return this.open();
      this.setState('offline'); // the token stays in this tab
      this.retry();
    });
  }

  /** Opens the socket with the token (only after the server proved itself). */
  private open(): void {
    const ws = new WebSocket(this.url, this.protocols);
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = 250;
      this.setState('open');
      for (const msg of this.queue.splice(0)) ws.send(JSON.stringify(msg));
      if (this.everOpen) this.onReconnect();
      this.everOpen = true;
    };
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Requests in flight cannot be answered by a new connection: fail them with a clear reason.
      // Requests in flight cannot be answered by a new connection: fail them in plain words.
      for (const [id, p] of this.pending) {
        p.reject(new ApiError('DISCONNECTED', 'Lost the connection to Triplet Studio; it reconnects by itself. Try again once it is back.'));
        this.pending.delete(id);
      }
      this.setState('closed');
      if (this.stopped) return;
      this.retry(); // the next attempt proves the server again before it sends the token
    };
  }

  private retry(): void {
    setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 5000);
  }

  /** Gives up for good (the token is out of date): queued requests fail with the reason. */
  private stop(state: ConnectionState, message: string): void {
    this.stopped = true;
    for (const msg of this.queue.splice(0)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      p?.reject(new ApiError('DISCONNECTED', message));
    }
    this.setState(state);
  }

  /** Hands an event to this tab's listeners as if the server had sent it (after a reconnect: everything may be stale). */
  emitLocal<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners.get(name) ?? []) {
      try {
        l(payload);
      } catch (err) {
        console.error(`listener for ${name} failed`, err);
      }
    }
  }

  private receive(data: unknown): void {
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(String(data)) as WsServerMessage;
    } catch {
      return;
    }
    if (msg.t === 'res') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.reply.ok) p.resolve(msg.reply.value);
      else p.reject(toApiError(msg.reply.error));
    } else if (msg.t === 'evt') {
      for (const l of this.listeners.get(msg.name) ?? []) {
        try {
          l(msg.payload);
        } catch (err) {
          console.error(`listener for ${msg.name} failed`, err);
        }
      }
    }
  }

  request(name: RequestName, args: unknown): Promise<unknown> {
    const id = this.nextId++;
    const msg: WsClientMessage = { t: 'req', id, name, args: args ?? {} };
    if (this.state === 'signed-out') return Promise.reject(new ApiError('DISCONNECTED', SIGNED_OUT_MESSAGE));
    if (this.state === 'out-of-date') return Promise.reject(new ApiError('DISCONNECTED', OUT_OF_DATE_MESSAGE));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, name });
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
      else this.queue.push(msg);
    });
  }

  on(event: EventName, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }
}

/** A StudioApi over the WebSocket: every property is a request by that name (the contract's names). */
export function createWsApi(transport: WsTransport): StudioApi {
  const target = {
    mode: 'browser' as const,
    on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) =>
      transport.on(event, listener as Listener),
  };
  return new Proxy(target, {
    get(t, prop) {
      if (prop in t) return t[prop as keyof typeof t];
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (args: unknown) => transport.request(prop as RequestName, args);
    },
  }) as unknown as StudioApi;
}

declare global {
  interface Window {
    tripletStudio?: StudioApi;
  }
}

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}

/**
 * The browser-mode token: the server redirects the start URL to `/#token=…`; the token moves into
 * sessionStorage (this tab, this origin, kept across reloads) and leaves the address bar. A later
 * `#token=` (e.g. a bookmarked start address) replaces the stored one.
 */
export function takeToken(loc: Location, storage: Storage, hist: History): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromUrl = params.get(TOKEN_FRAGMENT);
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    params.delete(TOKEN_FRAGMENT);
    const rest = params.toString();
    hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

/** This tab's token, or null (then the page says how to get in instead of knocking forever). */
function pageToken(): string | null {
  try {
    return takeToken(location, sessionStorage, history);
  } catch {
    return null; // storage disabled
  }
}

export let transport: WsTransport | null = null;

function createApi(): StudioApi {
  if (window.tripletStudio) return window.tripletStudio;
  // The server requires the token as a subprotocol entry in the handshake (a cookie is not enough).
  const token = pageToken();
  transport = new WsTransport(wsUrl(), token ? [WS_PROTOCOL, WS_TOKEN_PREFIX + token] : [], token !== null, () => proveServer(location.origin, token ?? ''));
  return createWsApi(transport);
}

export const api: StudioApi = createApi();

/** Calls one request and normalises its failure to ApiError. */
export async function call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<Replies[K]> {
  try {
    return await (api[name] as unknown as (a: RequestArgs<K>) => Promise<Replies[K]>)(args);
  } catch (err) {
    throw toApiError(err);
  }
}
