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

/** Same-origin endpoint a tab asks whether its token is still the server's (see server/index.ts). */
export const AUTH_CHECK_PATH = '/auth/check';

/** Request header carrying the tab's token to AUTH_CHECK_PATH (lower case, as Node reports headers). */
export const AUTH_CHECK_HEADER = 'x-triplet-token';
