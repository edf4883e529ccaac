// Whether browser mode of this very data folder already runs on a port, asked without giving the
// token away: the port may be held by any other local program (treated as hostile), so the asker
// sends a fresh random nonce and the server answers HMAC-SHA256(token, port and nonce), which only a
// holder of the token listening on that port can make and from which the token cannot be learned.
// The renderer asks the same question before each (re)connect (src/renderer/lib/server-proof.ts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request } from 'node:http';
import { RUNNING_PROOF_PATH, runningProofMessage, TOKEN_ID_MESSAGE } from '../../shared/ws-auth.js';

/** Answered without the session cookie (server/index.ts). */
export { RUNNING_PROOF_PATH };

const NONCE = /^[0-9a-f]{64}$/;

/** The proof for `nonce` (hex) from a server on `port`, or null for a malformed nonce. Domain-separated from any other use of the token. */
export function runningProof(token: string, port: number, nonce: string): string | null {
  if (!NONCE.test(nonce)) return null;
  return createHmac('sha256', token).update(runningProofMessage(port, nonce)).digest('hex');
}

/** The token's public id (hex): equal ids, equal tokens; nothing of the token can be learned from it. */
export function tokenIdFor(token: string): string {
  return createHmac('sha256', token).update(TOKEN_ID_MESSAGE).digest('hex');
}

/** True when the server on `port` proves it holds `token` and listens there; false for anything else, or no answer within 2 s. */
export function isRunningWith(host: string, port: number, token: string): Promise<boolean> {
  const nonce = randomBytes(32).toString('hex');
  const want = Buffer.from(runningProof(token, port, nonce)!, 'hex');
  return new Promise((done) => {
    // No keep-alive agent: one question, and the connection closed after it.
    const req = request({ host, port, path: `${RUNNING_PROOF_PATH}?nonce=${nonce}`, timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body = (body + c).slice(0, 1000)));
      res.on('end', () => {
        try {
          const proof = Buffer.from(String((JSON.parse(body) as { proof?: unknown }).proof ?? ''), 'hex');
          done(res.statusCode === 200 && proof.length === want.length && timingSafeEqual(proof, want));
        } catch {
          done(false);
        }
      });
    });
    // A program that takes the connection and never answers is not browser mode.
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', () => done(false));
    req.on('close', () => done(false)); // after a full answer `done` has already settled
    req.end();
  });
}
