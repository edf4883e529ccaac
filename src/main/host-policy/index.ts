// Host policy shared by every host (Electron shell, browser-mode server, dispatcher): CSP and
// security headers, app URL / navigation / external-link rules, media typing. Host-neutral: it
// imports neither `electron` nor the server, so each host can use it without importing the other.
export * from './headers.js';
export * from './media-type.js';
export * from './urls.js';
