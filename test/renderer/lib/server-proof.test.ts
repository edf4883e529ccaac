// A browser-mode tab proves the server before it sends its token (server-proof.ts): against the real
// server it is 'proven'; a program that took the port over (answering anything, or relaying to the
// real server on another port) is 'unproven' and never sees the token; the real server with a
// replaced token is 'other-token' (the tab says its address is out of date). Node runs the same
// WebCrypto and fetch as the page.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type HostedService, type RunningServer } from '../../../src/main/server/index.js';
import { originPort, proveServer } from '../../../src/renderer/lib/server-proof.js';

let dir: string;
let srv: RunningServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ts-tab-proof-'));
  srv = await startServer({ dataDir: dir, staticDir: dir, createService: () => ({ mediaPath: () => null }) as unknown as HostedService });
});
after(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `handler` on a free loopback port, recording each request (line, headers) in `seen`. */
async function squatter(seen: string[], handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closeServer = (s: Server): Promise<unknown> => new Promise((r) => (s.closeAllConnections(), s.close(r)));

test('the real server proves it holds the tab\'s token on the tab\'s port', async () => {
  assert.equal(await proveServer(srv.origin, srv.token), 'proven');
  assert.equal(originPort('http://127.0.0.1'), 80);
  assert.equal(originPort(srv.origin), srv.port);
});

test('a program claiming anything on the port gets no token and never reads as proven', async () => {
  const seen: string[] = [];
  const hostile = await squatter(seen, (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ valid: true, proof: 'ab'.repeat(32), tokenId: 'cd'.repeat(32) }));
  });
  try {
    assert.equal(await proveServer(hostile.origin, srv.token), 'other-token', 'a made-up token id reads as "out of date", the token still stays');
    const silent = await squatter(seen, (_req, res) => res.end('not json'));
    assert.equal(await proveServer(silent.origin, srv.token), 'unproven');
    await closeServer(silent.server);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((r) => !r.includes(srv.token) && !r.includes(encodeURIComponent(srv.token))), `the token never left: ${seen.join('\n')}`);
  } finally {
    await closeServer(hostile.server);
  }
});

test('a program on the old port relaying to the real server (its new port) is not proven: the proof names the port', async () => {
  const seen: string[] = [];
  const relay = await squatter(seen, (req, res) => {
    const out = request({ host: '127.0.0.1', port: srv.port, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${srv.port}` }, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    out.end();
  });
  try {
    assert.equal(await proveServer(relay.origin, srv.token), 'unproven');
    assert.ok(seen.length === 1 && !seen[0].includes(srv.token));
  } finally {
    await closeServer(relay.server);
  }
});

test('the real server with another token (--new-token) is told apart: out of date, without sending the old token', async () => {
  assert.equal(await proveServer(srv.origin, 'an-old-token-of-this-data-folder-0123456789'), 'other-token');
});

test('nobody on the port: not proven', async () => {
  const gone = await squatter([], () => {});
  await closeServer(gone.server);
  assert.equal(await proveServer(gone.origin, srv.token), 'unproven');
});
