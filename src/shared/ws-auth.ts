// Browser mode's WebSocket credential, shared by the server and the renderer. The full token
// travels in the handshake's Sec-WebSocket-Protocol header (a browser page on another origin or
// port cannot read it), never in a cookie: browsers send 127.0.0.1 cookies to every port.

/** The subprotocol the server selects (the token entry is never echoed back). */
export const WS_PROTOCOL = 'triplet-studio.v1';

/** Prefix of the subprotocol entry that carries the token: `ts-token.<base64url token>`. */
export const WS_TOKEN_PREFIX = 'ts-token.';

/** The `#token=` fragment the server redirects a page to; the renderer moves it into sessionStorage. */
export const TOKEN_FRAGMENT = 'token';

/** sessionStorage key (per origin, so per port) holding the token across reloads of the same tab. */
export const TOKEN_STORAGE_KEY = 'triplet-studio.token';

/**
 * `GET /auth/running?nonce=<64 hex>` answers {proof, tokenId} without any credential: a tab (before
 * it sends its token) and a second start on the same data folder (before it says "already runs")
 * ask it, so the token never goes to a program that took the port over.
 */
export const RUNNING_PROOF_PATH = '/auth/running';

/**
 * What the running proof signs, HMAC-SHA256 keyed with the token: the port the server listens on
 * and the asker's nonce. The port makes a relay useless: a program on the old port that forwards the
 * nonce to the real server on another port gets back a proof for that other port.
 */
export function runningProofMessage(port: number, nonce: string): string {
  return `triplet-studio browser mode runs on port ${port}:${nonce}`;
}

/** What the token's public id signs: it tells a tab "this server has another token" without revealing either. */
export const TOKEN_ID_MESSAGE = 'triplet-studio token id v1';
