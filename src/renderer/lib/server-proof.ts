// Before a browser-mode tab sends its token (WebSocket handshake), it makes the server prove that it
// holds that token and listens on this tab's port: a server that stopped leaves its port free, and
// whatever program takes it next would otherwise receive the token from every reconnect attempt.
// The tab sends a fresh nonce; the answer must be HMAC-SHA256(token, port and nonce), checked with
// WebCrypto (127.0.0.1 is a secure context). See src/main/server/running-proof.ts for the server.
import { RUNNING_PROOF_PATH, runningProofMessage, TOKEN_ID_MESSAGE } from '../../shared/ws-auth.js';

/**
 * 'proven': the server holds this token on this port (send it); 'other-token': a server answered
 * with another token's id (replaced with --new-token, or a program claiming so: the token stays
 * here either way); 'unproven': no answer, or no valid proof (the token stays here).
 */
export type ServerProof = 'proven' | 'other-token' | 'unproven';

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes of a hex string, or null when it is not one. */
function fromHex(text: unknown): Uint8Array<ArrayBuffer> | null {
  if (typeof text !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(text)) return null;
  return new Uint8Array(text.match(/../g)!.map((h) => parseInt(h, 16)));
}

/** The port of an http(s) origin, with the scheme's default when the URL leaves it out. */
export function originPort(origin: string): number {
  const url = new URL(origin);
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

/** Asks the server at `origin` to prove it holds `token` on that origin's port; the token is never sent. */
export async function proveServer(origin: string, token: string): Promise<ServerProof> {
  const nonce = hex(crypto.getRandomValues(new Uint8Array(32)));
  let answer: { proof?: unknown; tokenId?: unknown };
  try {
    const r = await fetch(new URL(`${RUNNING_PROOF_PATH}?nonce=${nonce}`, origin), { cache: 'no-store' });
    if (!r.ok) return 'unproven';
    answer = (await r.json()) as typeof answer;
  } catch {
    return 'unproven'; // not running, or not answering in JSON
  }
  const key = await crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const proof = fromHex(answer?.proof);
  if (proof && (await crypto.subtle.verify('HMAC', key, proof, encoder.encode(runningProofMessage(originPort(origin), nonce))))) return 'proven';
  const ourId = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(TOKEN_ID_MESSAGE)));
  return typeof answer?.tokenId === 'string' && fromHex(answer.tokenId) && answer.tokenId !== ourId ? 'other-token' : 'unproven';
}
