// The pages browser mode answers instead of the app when a tab cannot get in: a readable HTML page
// (not a bare "Unauthorized") saying what happened and how to get back in. No scripts, no styles
// beyond the default ones (the CSP allows neither inline), nothing from the request echoed back.
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../host-policy/headers.js';

export type NoticeKind = 'out-of-date' | 'no-token';

const TEXT: Record<NoticeKind, { title: string; body: string[] }> = {
  'out-of-date': {
    title: 'This address is out of date',
    body: [
      'The token in this address (or saved in this browser) is not the one Triplet Studio uses now: it was replaced, for example with <code>npm run serve -- --new-token</code>.',
      'Open the address printed by <code>npm run serve</code> (it prints the same address on every start for the same data folder). To make a new one and retire all older ones, run <code>npm run serve -- --new-token</code>.',
    ],
  },
  'no-token': {
    title: 'Open the address printed by npm run serve',
    body: [
      'This page needs the address with its token (<code>http://127.0.0.1:PORT/?token=…</code>), which <code>npm run serve</code> prints when it starts. It stays the same across restarts, so you can bookmark it.',
      'Lost it? Run <code>npm run serve</code> again: it prints the address (add <code>-- --new-token</code> to make a new one).',
    ],
  },
};

export function noticeHtml(kind: NoticeKind): string {
  const t = TEXT[kind];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Triplet Studio — ${t.title}</title></head>`,
    `<body><main data-testid="notice-${kind}"><h1>${t.title}</h1>`,
    ...t.body.map((p) => `<p>${p}</p>`),
    '</main></body></html>',
  ].join('\n');
}

/** Answers a page request with the notice (401: the request is not authorised; the page is readable). */
export function sendNotice(res: ServerResponse, kind: NoticeKind): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
  const html = noticeHtml(kind);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.statusCode = 401;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(res.req.method === 'HEAD' ? undefined : html);
}
