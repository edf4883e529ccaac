// Encoding a reply for the wire. A reply that cannot be serialised (a BigInt, a cycle, a string
// past V8's limit) or is larger than a client should be sent still answers its request, with a
// typed error naming the request instead of `INTERNAL: Reply could not be encoded`. A value that
// cannot be encoded is a bug in the handler: it goes to the diagnostics log, and the reply says where.
import type { Envelope, WsServerMessage } from '../../shared/ipc.js';
import type { ErrorLog } from '../util/diagnostics-log.js';

/** Largest reply frame sent to a browser (characters of JSON, ~bytes for ASCII). */
export const MAX_REPLY_CHARS = 64 * 1024 * 1024;

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** The error envelope for a reply to `name` that could not be sent. */
export function unsendableReply(name: string, reason: string, code: 'TOO_LARGE' | 'INTERNAL' = 'TOO_LARGE', logFile?: string): Envelope<never> {
  const details = logFile ? { request: name, log: logFile } : { request: name };
  return { ok: false, error: { code, message: `The reply to "${name}" could not be sent: ${reason}`, details } };
}

/** JSON text of a reply frame; an oversized reply becomes a TOO_LARGE error frame, an unencodable
 * one an INTERNAL one (logged when `log` is given). */
export function encodeReply(id: number, name: string, reply: Envelope<unknown>, limit = MAX_REPLY_CHARS, log?: ErrorLog): string {
  let text: string;
  try {
    text = JSON.stringify({ t: 'res', id, reply } satisfies WsServerMessage);
  } catch (err) {
    const tooLong = err instanceof RangeError && /string length/i.test(err.message);
    const reason = tooLong
      ? `it is larger than a JavaScript string can hold (over 512 MB). Narrow the request (fewer items, a smaller file).`
      : `it contains a value that cannot be encoded (${err instanceof Error ? err.message : String(err)}).`;
    if (tooLong) return JSON.stringify({ t: 'res', id, reply: unsendableReply(name, reason) } satisfies WsServerMessage);
    log?.error(`the reply to ${name} could not be encoded`, err);
    return JSON.stringify({ t: 'res', id, reply: unsendableReply(name, reason, 'INTERNAL', log?.file) } satisfies WsServerMessage);
  }
  if (text.length <= limit) return text;
  const reason = `it is ${mb(text.length)}, over the ${mb(limit)} limit. Narrow the request (fewer items, a smaller file).`;
  return JSON.stringify({ t: 'res', id, reply: unsendableReply(name, reason) } satisfies WsServerMessage);
}

/**
 * The reply Electron's IPC may carry: `reply` itself, or the same typed TOO_LARGE / INTERNAL error
 * the WebSocket would send. Electron clones replies without a size check, and a huge clone stalls
 * the main process (and every window) while it copies.
 */
export function boundedReply(name: string, reply: Envelope<unknown>, limit = MAX_REPLY_CHARS, log?: ErrorLog): Envelope<unknown> {
  if (!reply.ok) return reply;
  const frame = JSON.parse(encodeReply(0, name, reply, limit, log)) as Extract<WsServerMessage, { t: 'res' }>;
  return frame.reply.ok ? reply : frame.reply;
}
